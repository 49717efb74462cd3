import type { ReactNode } from 'react';
import { hintId } from '../lib/field-aria';
import './radio-option.css';

interface RadioOptionProps {
  name: string;
  id: string;
  label: string;
  checked: boolean;
  onChange(): void;
  disabled?: boolean;
  /** One line under the label, tied to the radio as its description. */
  hint?: ReactNode;
  /** Beside the label (a delimiter picker next to CSV). */
  extra?: ReactNode;
}

/** One choice of a radio group: the radio, its label, and a line saying what it means. */
export function RadioOption({ name, id, label, checked, onChange, disabled, hint, extra }: RadioOptionProps) {
  return (
    <div className={disabled ? 'radio-option radio-option--disabled' : 'radio-option'}>
      <input id={id} type="radio" name={name} checked={checked} disabled={disabled} onChange={onChange} aria-describedby={hint ? hintId(id) : undefined} />
      <div className="radio-option__text">
        <div className="radio-option__head">
          <label htmlFor={id}>{label}</label>
          {extra}
        </div>
        {hint && (
          <p className="radio-option__hint" id={hintId(id)}>
            {hint}
          </p>
        )}
      </div>
    </div>
  );
}
