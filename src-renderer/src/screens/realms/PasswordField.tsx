import type { PasswordState } from '../../../../src-shared/model/realm';
import { Field } from '../../components/Field';
import { describedBy } from '../../lib/field-aria';
import { useDraftValue, useFormActions } from '../../stores/realm-form-hooks';

const STATE_TEXT: Record<PasswordState, string> = {
  saved: 'Password saved',
  session: 'Password kept for this session only',
  missing: 'Password missing',
};

interface PasswordFieldProps {
  /** Where the saved realm's password is; undefined for a new realm. */
  state: PasswordState | undefined;
  error: string | undefined;
}

/** The bind password: write-only. Main never sends it back, so an empty field means "keep the current one". */
export function PasswordField({ state, error }: PasswordFieldProps) {
  const password = useDraftValue((d) => d.password);
  const forget = useDraftValue((d) => d.forgetPassword);
  const { edit } = useFormActions();
  const hint =
    state === undefined
      ? 'Needed with a bind DN. Once saved it is never shown again.'
      : state === 'missing'
        ? 'No password is stored for this realm: type one to bind with the bind DN.'
        : forget
          ? 'The current password will be forgotten on save.'
          : 'Leave empty to keep the current password; type a new one to replace it.';
  return (
    <Field id="realm-password" label="Bind password" error={error} hint={hint}>
      <div className="input-row">
        <input
          id="realm-password"
          className="input input--medium"
          type="password"
          autoComplete="new-password"
          value={password}
          placeholder={state === 'saved' || state === 'session' ? '(unchanged)' : ''}
          onChange={(event) => edit((d) => ({ ...d, password: event.target.value }))}
          {...describedBy('realm-password', error, true)}
        />
        {state && (
          <span className={`pill pill--${state}`} data-testid="password-state" data-state={state}>
            {STATE_TEXT[state]}
          </span>
        )}
      </div>
      {state && state !== 'missing' && (
        <div className="checkbox">
          <input id="realm-forget-password" type="checkbox" checked={forget} onChange={(event) => edit((d) => ({ ...d, forgetPassword: event.target.checked }))} />
          <label htmlFor="realm-forget-password">Forget the stored password on save</label>
        </div>
      )}
    </Field>
  );
}
