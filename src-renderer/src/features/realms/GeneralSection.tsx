import { KIND_LABELS } from './realm-labels';
import { useFormActions, useFormTarget } from './realm-form-hooks';
import { DraftSelectField } from './DraftSelectField';
import { DraftTextField } from './DraftTextField';
import { FormSection } from './FormSection';
import type { FieldErrors } from './realm-validation';

/** Name and kind of the realm. */
export function GeneralSection({ errors }: { errors: FieldErrors }) {
  const target = useFormTarget();
  const { chooseKind } = useFormActions();
  const isNew = target.kind === 'new';
  return (
    <FormSection title="General">
      <DraftTextField
        id="realm-name"
        width="medium"
        label="Name"
        errorKey="name"
        errors={errors}
        placeholder="e.g. Corp AD"
        value={(d) => d.name}
        update={(d, name) => ({ ...d, name })}
        autoFocus={isNew}
      />
      <DraftSelectField
        id="realm-kind"
        label="Kind"
        error={errors.kind}
        options={KIND_LABELS}
        value={(d) => d.kind}
        onChange={chooseKind}
        hint={
          isNew
            ? 'Choosing a kind fills in the user filter, unique id attribute and attribute mapping for it.'
            : 'Changing the kind keeps the filter and mapping; "Apply preset" under Attribute mapping resets them.'
        }
      />
    </FormSection>
  );
}
