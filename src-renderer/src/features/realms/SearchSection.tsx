import { useDraftValue, useFormActions } from './realm-form-hooks';
import { isFileRealm } from './realm-draft';
import { DraftSelectField } from './DraftSelectField';
import { DraftTextField } from './DraftTextField';
import { FormSection } from './FormSection';
import type { FieldErrors } from './realm-validation';

const SCOPES = { sub: 'Whole subtree', one: 'One level (direct children only)' };

/** Where users are, which entries count as users and how to page through them. */
export function SearchSection({ errors }: { errors: FieldErrors }) {
  const { edit } = useFormActions();
  const file = useDraftValue(isFileRealm);
  return (
    <FormSection title="Search">
      <DraftTextField
        id="realm-base-dn"
        label="Base DN"
        errorKey="search.baseDn"
        errors={errors}
        mono
        placeholder="OU=Staff,DC=corp,DC=example"
        hint={file ? 'Optional: only entries under this DN are read from the file. Leave empty to read them all.' : undefined}
        value={(d) => d.baseDn}
        update={(d, baseDn) => ({ ...d, baseDn })}
      />
      <DraftTextField
        id="realm-user-filter"
        label="User filter"
        errorKey="search.userFilter"
        errors={errors}
        mono
        hint="An LDAP filter (RFC 4515) every user entry matches."
        value={(d) => d.userFilter}
        update={(d, userFilter) => ({ ...d, userFilter })}
      />
      <DraftSelectField
        id="realm-scope"
        label="Scope"
        error={errors['search.scope']}
        options={SCOPES}
        value={(d) => d.scope}
        onChange={(scope) => edit((d) => ({ ...d, scope }))}
      />
      <DraftTextField
        id="realm-page-size"
        label="Page size"
        errorKey="search.pageSize"
        errors={errors}
        width="short"
        type="number"
        inputMode="numeric"
        min={1}
        max={1000}
        step={1}
        hint="Entries per page, 1–1000. Active Directory never returns more than 1000 per page (its MaxPageSize), so larger pages fail there."
        value={(d) => d.pageSize}
        update={(d, pageSize) => ({ ...d, pageSize })}
      />
      <DraftTextField
        id="realm-id-attribute"
        width="medium"
        label="Unique id attribute"
        errorKey="idAttribute"
        errors={errors}
        mono
        hint="Never changes, even on rename: objectGUID (Active Directory), entryUUID (OpenLDAP), nsUniqueId (389 DS)."
        value={(d) => d.idAttribute}
        update={(d, idAttribute) => ({ ...d, idAttribute })}
      />
    </FormSection>
  );
}
