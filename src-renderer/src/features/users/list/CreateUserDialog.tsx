import { useId, useState, type FormEvent } from 'react';
import { STANDARD_FIELDS, validateFieldValue, validateUsername } from '#shared/model/fields';
import type { AppError } from '#shared/result';
import { Field } from '../../../components/Field';
import { Modal } from '../../../components/Modal';
import { describedBy } from '../../../lib/field-aria';
import { useUserNavigation } from '../../../stores/app-store';
import { useUsersListActions } from './users-list-store';

const EMAIL_FIELD = STANDARD_FIELDS.find((f) => f.key === 'email') ?? { label: 'Email', type: 'email' as const };

/** "New user": an internal user from a username, full name and email; opens the user once created. */
export function CreateUserDialog({ onClose }: { onClose(): void }) {
  const { createUser } = useUsersListActions();
  const { openUser } = useUserNavigation();
  const [values, setValues] = useState({ username: '', displayName: '', email: '' });
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const formId = useId();
  const ids = { username: `${formId}-username`, displayName: `${formId}-name`, email: `${formId}-email` };
  const errors = {
    username: validateUsername(values.username.trim()) ?? undefined,
    email: validateFieldValue(EMAIL_FIELD, values.email.trim()) ?? undefined,
  };
  const shown: Partial<typeof errors> = tried ? errors : {};

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    setTried(true);
    if (errors.username || errors.email || busy) return;
    setBusy(true);
    setError(null);
    const result = await createUser(values);
    setBusy(false);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    onClose();
    openUser(result.value.user.id);
  };
  const set = (key: keyof typeof values) => (event: { target: { value: string } }) => setValues((v) => ({ ...v, [key]: event.target.value }));

  return (
    <Modal
      title="New user"
      onClose={onClose}
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form={formId} className="button button--primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create user'}
          </button>
        </>
      }
    >
      <form id={formId} className="create-user" onSubmit={(event) => void submit(event)} noValidate>
        <p className="muted">An internal user, kept in Roster only. Other fields can be filled in on the user&rsquo;s page.</p>
        <Field id={ids.username} label="Username" error={shown.username}>
          <input id={ids.username} className="input" value={values.username} onChange={set('username')} autoComplete="off" spellCheck={false} required data-autofocus {...describedBy(ids.username, shown.username)} />
        </Field>
        <Field id={ids.displayName} label="Full name">
          <input id={ids.displayName} className="input" value={values.displayName} onChange={set('displayName')} autoComplete="off" />
        </Field>
        <Field id={ids.email} label="Email" error={shown.email}>
          <input id={ids.email} className="input" type="email" value={values.email} onChange={set('email')} autoComplete="off" spellCheck={false} {...describedBy(ids.email, shown.email)} />
        </Field>
        {error && (
          <p className="banner banner--error" role="alert">
            {error.message}
          </p>
        )}
      </form>
    </Modal>
  );
}
