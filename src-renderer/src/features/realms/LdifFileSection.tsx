import type { LdifFlavour } from '#shared/model/realm';
import { flavourName, realmNotes } from '#shared/model/realm-status';
import { useDraftValue, useFormActions, useLdifFileState } from './realm-form-hooks';
import { DraftSelectField } from './DraftSelectField';
import { DraftTextField } from './DraftTextField';
import { FormSection } from './FormSection';
import type { FieldErrors } from './realm-validation';

const FLAVOUR_OPTIONS: Record<LdifFlavour | '', string> = {
  '': 'Detect from the file',
  'active-directory': 'Active Directory (ldifde, or ldapsearch against a DC)',
  openldap: 'OpenLDAP, 389-ds and other LDAPv3 (slapcat, ldapsearch)',
};

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

/** For an offline realm: the LDIF export Roster reads instead of a server, and the directory it came from. */
export function LdifFileSection({ errors }: { errors: FieldErrors }) {
  const { inspectLdif } = useFormActions();
  const file = useLdifFileState();
  const idAttribute = useDraftValue((d) => d.idAttribute);
  const flavour = useDraftValue((d) => d.ldifFlavour);
  const seen = file.inspection;
  // Why the file cannot be read is said once, by the path field (highlighted), unless the field has an error of its own.
  const fieldErrors = file.error && !errors['ldif.path'] ? { ...errors, 'ldif.path': file.error.message } : errors;
  const notes = realmNotes({ kind: 'ldif-file', idAttribute, ...(flavour ? { ldif: { path: '', flavour } } : {}) }).slice(1);
  return (
    <FormSection title="File">
      <DraftTextField
        id="realm-ldif-path"
        label="LDIF file"
        errorKey="ldif.path"
        errors={fieldErrors}
        mono
        placeholder="C:\Exports\corp-users.ldf"
        hint="The full path of an LDIF file: an export from ldifde, slapcat or ldapsearch. Roster reads it each time it searches and never changes it."
        value={(d) => d.ldifPath}
        update={(d, ldifPath) => ({ ...d, ldifPath })}
        onBlur={() => void inspectLdif()}
      />
      <DraftSelectField
        id="realm-ldif-flavour"
        label="Exported from"
        options={FLAVOUR_OPTIONS}
        hint="Sets the user filter, the id attribute and the attribute mapping for that directory."
        value={(d) => d.ldifFlavour}
        onChange={(choice) => void inspectLdif(choice === '' ? 'detect' : choice)}
      />
      <div className="ldif-file-status" role="status" data-testid="ldif-file-status">
        {file.checking && <p className="note muted">Reading the file…</p>}
        {seen && (
          <p className="note">
            {seen.flavour === seen.detected
              ? `${flavourName(seen.detected)} export detected: ${seen.reason}.`
              : `Read as ${flavourName(seen.flavour)} (the file looks like ${flavourName(seen.detected)}'s).`}{' '}
            {plural(seen.users, 'user')} of {plural(seen.entries, 'entry', 'entries')} match the user filter.
          </p>
        )}
        {notes.map((note) => (
          <p key={note} className="note note--warning">
            {note}
          </p>
        ))}
      </div>
    </FormSection>
  );
}
