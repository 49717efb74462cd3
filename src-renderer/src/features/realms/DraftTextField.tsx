import type { InputHTMLAttributes, ReactNode } from 'react';
import { Field } from '../../components/Field';
import { useDraftValue, useFormActions, useTestFlag } from './realm-form-hooks';
import { realmFieldAria } from './field-aria';
import type { RealmDraft } from './realm-draft';

type PassThrough = Pick<InputHTMLAttributes<HTMLInputElement>, 'placeholder' | 'inputMode' | 'autoComplete' | 'type' | 'min' | 'max' | 'step' | 'onBlur'>;

interface DraftTextFieldProps extends PassThrough {
  id: string;
  label: string;
  /** The realm input path its errors are keyed by (`search.baseDn`). */
  errorKey: string;
  errors: Record<string, string>;
  hint?: ReactNode;
  value(draft: RealmDraft): string;
  update(draft: RealmDraft, value: string): RealmDraft;
  /** Monospace, for DNs, filters and attribute names. */
  mono?: boolean;
  /** Box width by the value's expected length (default: the full column). */
  width?: 'short' | 'medium';
  autoFocus?: boolean;
}

/** A labelled single-line input bound to one value of the realm draft. */
export function DraftTextField({ id, label, errorKey, errors, hint, value, update, mono, width, autoFocus, ...input }: DraftTextFieldProps) {
  const current = useDraftValue(value);
  const { edit } = useFormActions();
  const error = errors[errorKey];
  const flag = useTestFlag(errorKey);
  return (
    <Field id={id} label={label} error={error} hint={hint}>
      <input
        id={id}
        className={['input', mono ? 'mono' : '', width ? `input--${width}` : ''].filter(Boolean).join(' ')}
        value={current}
        onChange={(event) => edit((d) => update(d, event.target.value), errorKey)}
        spellCheck={false}
        autoFocus={autoFocus}
        {...realmFieldAria(id, error, hint !== undefined, flag)}
        {...input}
      />
    </Field>
  );
}
