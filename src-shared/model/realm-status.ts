import { DN_AS_ID, type RealmInput } from './realm';

const FLAVOUR_NAMES = { 'active-directory': 'Active Directory', openldap: 'OpenLDAP' } as const;

/** What the realm's status says about how its users are read, beyond reachability (shown on the realm and by the CLI). */
export function realmNotes(realm: Pick<RealmInput, 'kind' | 'ldif' | 'idAttribute'>): string[] {
  const notes: string[] = [];
  if (realm.kind === 'ldif-file' && realm.ldif?.flavour) notes.push(`Read as an ${FLAVOUR_NAMES[realm.ldif.flavour]} export.`);
  if (realm.idAttribute === DN_AS_ID) {
    notes.push(
      "Users are matched by DN: the entries carry no id attribute (entryUUID), so a user renamed or moved in the directory is taken for a new one. Export with slapcat, or ask ldapsearch for '+' as well, to keep ids.",
    );
  }
  return notes;
}

/** The flavour's name for people. */
export const flavourName = (flavour: keyof typeof FLAVOUR_NAMES): string => FLAVOUR_NAMES[flavour];
