import { useState, type FormEvent } from 'react';
import type { Realm } from '#shared/model/realm';
import { Field } from '../../components/Field';
import { Modal } from '../../components/Modal';
import { describedBy } from '../../lib/field-aria';
import type { PasswordPrompt } from './import-store';

interface BindPasswordDialogProps {
  prompt: PasswordPrompt;
  realm: Realm | undefined;
  onSubmit(password: string): void;
  onCancel(): void;
}

/**
 * Asks for a realm's bind password that main has not got (for the realm's current server and bind DN). The
 * typed value goes to main on submit and is dropped here at once; main keeps it in memory for this session.
 */
export function BindPasswordDialog({ prompt, realm, onSubmit, onCancel }: BindPasswordDialogProps) {
  const [password, setPassword] = useState('');
  const [tried, setTried] = useState(false);
  const empty = tried && password === '' ? 'Enter the password.' : undefined;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (password === '') return;
    onSubmit(password);
    setPassword('');
    setTried(false);
  };
  return (
    <Modal
      title="Bind password"
      onClose={onCancel}
      footer={
        <>
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" form="bind-password-form" className="button button--primary">
            {prompt.then === 'run' ? 'Import' : 'Search'}
          </button>
        </>
      }
    >
      <form id="bind-password-form" className="bind-password" onSubmit={submit} noValidate>
        <p>
          To read <strong>{realm?.name ?? 'this realm'}</strong>, Roster binds as <span className="mono">{realm?.connection.bindDn || 'the bind DN'}</span>. Its
          password is not saved on this computer for this server and bind DN, so Roster keeps it in memory until you quit.
        </p>
        {prompt.error && (
          <p className="banner banner--error" role="alert">
            {prompt.error}
          </p>
        )}
        <Field id="bind-password" label="Password" error={empty}>
          <input
            id="bind-password"
            className="input"
            type="password"
            value={password}
            autoComplete="off"
            data-autofocus
            onChange={(event) => setPassword(event.target.value)}
            {...describedBy('bind-password', empty)}
          />
        </Field>
      </form>
    </Modal>
  );
}
