import { useId, useState, type FormEvent } from 'react';

interface BindPasswordPromptProps {
  /** Whose password: "Lab directory", "the realms of the selected users". */
  realmName: string;
  /** Why it is asked for although one was kept (main's words: it was for another server or bind DN). */
  note?: string;
  busy?: boolean;
  onSubmit(password: string): void;
}

/** Asks for a realm's bind password that main does not have; the typed value goes to main on submit and is dropped here. */
export function BindPasswordPrompt({ realmName, note, busy = false, onSubmit }: BindPasswordPromptProps) {
  const [password, setPassword] = useState('');
  const id = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (password === '') return;
    onSubmit(password);
    setPassword('');
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
        {note ?? `No password is saved for ${realmName}.`} Roster keeps it in memory until the app closes.
      </p>
    </form>
  );
}
