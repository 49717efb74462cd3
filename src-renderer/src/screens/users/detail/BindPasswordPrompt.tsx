import { useId, useState, type FormEvent } from 'react';

interface BindPasswordPromptProps {
  /** Whose password: "Lab directory", "the realms of the selected users". */
  realmName: string;
  busy?: boolean;
  onSubmit(password: string): void;
}

/** Asks for a realm's bind password that main does not keep; the renderer keeps it in memory for this session only. */
export function BindPasswordPrompt({ realmName, busy = false, onSubmit }: BindPasswordPromptProps) {
  const [password, setPassword] = useState('');
  const id = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (password !== '') onSubmit(password);
  };
  return (
    <form className="bind-prompt" onSubmit={submit} noValidate>
      <label className="field__label" htmlFor={id}>
        Bind password
      </label>
      <div className="bind-prompt__row">
        <input
          id={id}
          className="input input--medium"
          type="password"
          autoComplete="off"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          aria-describedby={`${id}-hint`}
          autoFocus
        />
        <button type="submit" className="button" disabled={password === '' || busy} aria-busy={busy}>
          Continue
        </button>
      </div>
      <p className="field__hint" id={`${id}-hint`}>
        No password is saved for {realmName}. Roster keeps it in memory until the app closes.
      </p>
    </form>
  );
}
