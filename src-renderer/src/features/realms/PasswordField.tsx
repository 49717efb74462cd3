import type { PasswordState } from '#shared/model/realm';
import { Field } from '../../components/Field';
import { useDraftValue, useFormActions, useTargetChanged, useTestFlag } from './realm-form-hooks';
import { realmFieldAria } from './field-aria';
import { bindTargetKey } from './realm-draft';

const STATE_TEXT: Record<PasswordState, string> = {
  saved: 'Password saved',
  session: 'Password entered this session',
  missing: 'Password missing',
};

interface PasswordFieldProps {
  /** Where the saved realm's password is; undefined for a new realm. */
  state: PasswordState | undefined;
  /** Main's reason a kept password is not used (it was for another server, TLS setting or bind DN). */
  note?: string;
  error: string | undefined;
}

/**
 * The bind password: write-only. Main never sends it back, so an empty field means "keep the current one";
 * a typed one goes to main at Test or Save and the field empties. A kept password is only ever sent to the
 * server and bind DN it was given for: when the draft changes those, the field says it must be typed again.
 */
export function PasswordField({ state, note, error }: PasswordFieldProps) {
  const password = useDraftValue((d) => d.password);
  const forget = useDraftValue((d) => d.forgetPassword);
  const givenFor = useDraftValue((d) => d.passwordGivenFor);
  const targetKey = useDraftValue(bindTargetKey);
  const moved = useTargetChanged();
  const kept = (state === 'saved' || state === 'session') && !moved;
  const { edit } = useFormActions();
  const flag = useTestFlag('password');
  const hint =
    givenFor !== null
      ? givenFor === targetKey
        ? 'The password you entered is kept for this session; Save saves it with these settings.'
        : 'The password you entered was for other connection settings, so it will not be sent to these: enter it again.'
      : state === undefined
        ? 'Needed with a bind DN. Once saved it is never shown again.'
        : moved && state !== 'missing'
          ? 'The server, TLS settings or bind DN changed, so the saved password will not be sent there: enter the password again. Saving without one forgets it.'
          : state === 'missing'
            ? (note ?? 'No password is stored for this realm: type one to bind with the bind DN.')
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
          placeholder={kept ? '(unchanged)' : ''}
          onChange={(event) => edit((d) => ({ ...d, password: event.target.value }))}
          {...realmFieldAria('realm-password', error, true, flag)}
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
