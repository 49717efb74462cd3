import { useEffect, useRef, type ReactNode } from 'react';
import { describedBy } from '../../lib/field-aria';
import type { AppError } from '#shared/result';
import { Field } from '../../components/Field';

interface PathFieldProps {
  id: string;
  label: string;
  value: string;
  onChange(value: string): void;
  onBrowse(): void;
  /** Why this window has no file dialog (then Browse… goes away and the path is typed), or null. */
  browseUnavailable: string | null;
  browseError: AppError | null;
  hint: ReactNode;
  error?: string | undefined;
  /** More buttons after Browse… (Open). */
  children?: ReactNode;
}

/**
 * A file path, typed or picked with the system's file dialog where there is one. When Browse… finds no
 * dialog and goes away, or the path is refused, the field takes focus: typing the path is what is left.
 */
export function PathField({ id, label, value, onChange, onBrowse, browseUnavailable, browseError, hint, error, children }: PathFieldProps) {
  const inputRef = useRef<HTMLInputElement>(null);
  const noDialog = browseUnavailable !== null;
  const wasUnavailable = useRef(noDialog);
  useEffect(() => {
    if (noDialog && !wasUnavailable.current) inputRef.current?.focus();
    wasUnavailable.current = noDialog;
  }, [noDialog]);
  useEffect(() => {
    if (error) inputRef.current?.focus();
  }, [error]);
  return (
    <>
      <Field id={id} label={label} error={error} hint={hint}>
        <div className="input-row">
          <input
            ref={inputRef}
            id={id}
            className="input mono"
            value={value}
            spellCheck={false}
            autoComplete="off"
            onChange={(event) => onChange(event.target.value)}
            {...describedBy(id, error, true)}
          />
          {!noDialog && (
            <button type="button" className="button" onClick={onBrowse}>
              Browse…
            </button>
          )}
          {children}
        </div>
      </Field>
      {browseError && (
        <p className="banner banner--error" role="alert">
          Could not open the file dialog: {browseError.message}
        </p>
      )}
    </>
  );
}
