import type { ReactNode } from 'react';

interface CheckboxFieldProps {
  id: string;
  label: string;
  checked: boolean;
  onChange(checked: boolean): void;
  /** Shown under the checkbox (e.g. a warning when a safety is off). */
  children?: ReactNode;
}

/** A checkbox row aligned with the form's controls, with its label on the right as desktop forms do. */
export function CheckboxField({ id, label, checked, onChange, children }: CheckboxFieldProps) {
  return (
    <div className="field field--bare">
      <div className="field__control">
        <div className="checkbox">
          <input id={id} type="checkbox" checked={checked} onChange={(event) => onChange(event.target.checked)} />
          <label htmlFor={id}>{label}</label>
        </div>
        {children}
      </div>
    </div>
  );
}
