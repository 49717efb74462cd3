import type { ReactNode } from 'react';
import { Field } from '../../components/Field';
import { describedBy } from '../../lib/field-aria';
import { useDraftValue } from './realm-form-hooks';
import type { RealmDraft } from './realm-draft';

interface DraftSelectFieldProps<T extends string> {
  id: string;
  label: string;
  error?: string | undefined;
  hint?: ReactNode;
  options: Record<T, string>;
  value(draft: RealmDraft): T;
  onChange(value: T): void;
}

/** A labelled drop-down bound to one value of the realm draft. */
export function DraftSelectField<T extends string>({ id, label, error, hint, options, value, onChange }: DraftSelectFieldProps<T>) {
  const current = useDraftValue(value);
  return (
    <Field id={id} label={label} error={error} hint={hint}>
      <select id={id} className="select" value={current} onChange={(event) => onChange(event.target.value as T)} {...describedBy(id, error, hint !== undefined)}>
        {(Object.entries(options) as [T, string][]).map(([key, text]) => (
          <option key={key} value={key}>
            {text}
          </option>
        ))}
      </select>
    </Field>
  );
}
