import type { ReactNode } from 'react';

interface FormSectionProps {
  title: string;
  /** A control at the right of the title (e.g. "Apply preset"). */
  action?: ReactNode;
  children: ReactNode;
}

/** A titled group of fields in the realm form. */
export function FormSection({ title, action, children }: FormSectionProps) {
  return (
    <fieldset className="form-section">
      <legend className="form-section__title">{title}</legend>
      {action && <div className="form-section__action">{action}</div>}
      {children}
    </fieldset>
  );
}
