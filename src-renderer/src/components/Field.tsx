import type { ReactNode } from 'react';
import { errorId, hintId } from '../lib/field-aria';

interface FieldProps {
  /** The id of the control inside; the label points at it. */
  id: string;
  label: string;
  error?: string | undefined;
  hint?: ReactNode;
  children: ReactNode;
}

/** A form row: a real <label> for the control, then the control, its error and its hint. */
export function Field({ id, label, error, hint, children }: FieldProps) {
  return (
    <div className={error ? 'field field--invalid' : 'field'}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <div className="field__control">
        {children}
        {error && (
          <p className="field__error" id={errorId(id)}>
            {error}
          </p>
        )}
        {hint && (
          <p className="field__hint" id={hintId(id)}>
            {hint}
          </p>
        )}
      </div>
    </div>
  );
}
