import { DraftTextField } from './DraftTextField';
import { FormSection } from './FormSection';
import type { FieldErrors } from './realm-validation';

/** For an offline realm: the LDIF export Roster reads instead of a server. */
export function LdifFileSection({ errors }: { errors: FieldErrors }) {
  return (
    <FormSection title="File">
      <DraftTextField
        id="realm-ldif-path"
        label="LDIF file"
        errorKey="ldif.path"
        errors={errors}
        mono
        placeholder="C:\Exports\corp-users.ldf"
        hint="The full path of an LDIF file: an export from ldifde, slapcat or ldapsearch. Roster reads it each time it searches and never changes it."
        value={(d) => d.ldifPath}
        update={(d, ldifPath) => ({ ...d, ldifPath })}
      />
    </FormSection>
  );
}
