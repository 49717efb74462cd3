import { DraftTextField } from './DraftTextField';
import { FormSection } from './FormSection';
import { ServerUrlsField } from './ServerUrlsField';
import type { FieldErrors } from './realm-validation';

/** Where the directory is and how long to wait for it. */
export function ServerSection({ errors }: { errors: FieldErrors }) {
  return (
    <FormSection title="Server">
      <ServerUrlsField errors={errors} />
      <DraftTextField
        id="realm-connect-timeout"
        label="Connect timeout (s)"
        errorKey="connection.connectTimeoutMs"
        errors={errors}
        width="short"
        type="number"
        inputMode="decimal"
        min={0.5}
        max={120}
        step={0.5}
        hint="How long to wait for each server to answer before trying the next."
        value={(d) => d.connectTimeoutS}
        update={(d, connectTimeoutS) => ({ ...d, connectTimeoutS })}
      />
      <DraftTextField
        id="realm-operation-timeout"
        label="Operation timeout (s)"
        errorKey="connection.operationTimeoutMs"
        errors={errors}
        width="short"
        type="number"
        inputMode="decimal"
        min={1}
        max={600}
        step={1}
        hint="How long a bind or one page of a search may take."
        value={(d) => d.operationTimeoutS}
        update={(d, operationTimeoutS) => ({ ...d, operationTimeoutS })}
      />
    </FormSection>
  );
}
