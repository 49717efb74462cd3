import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { effectiveFields, FIELD_OWNERS, type FieldDefinition, type FieldOwner } from '#shared/model/fields';
import type { RealmRecord } from '#shared/model/realm';
import { realmFromPreset } from '#shared/model/realm-presets';
import type { FieldValues, UserRecord } from '#shared/model/user';
import { propertyRuns, propertyTimeout } from '../testing/property-runs';
import { applyDiff, mergeField, threeWayDiff, type Choices } from './diff';
import type { DirectoryUser } from './mapping';

/*
 * The three-way merge's rules, by property, for any values and any field policy:
 * - only the directory changed (local = base): the directory's value is taken;
 * - only Roster changed (directory = base): Roster's value is kept on a field Roster owns; on a field the
 *   directory owns, the directory's value wins (DESIGN.md: "overwritten on resync");
 * - both changed to the same value: nothing to choose; both changed apart: a conflict whose default follows
 *   the owner;
 * - merging is idempotent: applying a merge's result and merging again with the same entry changes nothing.
 */

const realm: RealmRecord = { ...realmFromPreset('openldap', { name: 'Lab', urls: ['ldap://lab'], bindDn: '', baseDn: 'dc=lab', tls: 'none' }), id: 'r1', order: 0 };
const KEYS = effectiveFields({}, []).map((f) => f.key);
const AT = '2026-11-21T12:00:00.000Z';
const LATER = '2026-11-22T12:00:00.000Z';

/** Values that collide often (so every branch is taken) and any string. */
const fieldValue = fc.oneof(fc.constantFrom('', 'x', 'y', 'X'), fc.string({ maxLength: 6 }));
const owner = fc.constantFrom<FieldOwner>(...FIELD_OWNERS);
/** The catalogue with a random owner for every field. */
const catalogue = fc
  .array(owner, { minLength: KEYS.length, maxLength: KEYS.length })
  .map((owners) => effectiveFields(Object.fromEntries(KEYS.map((key, i) => [key, { owner: owners[i]! }])), []));
const values = fc.dictionary(fc.constantFrom(...KEYS), fieldValue).map((v): FieldValues => Object.fromEntries(Object.entries(v).filter(([, x]) => x !== '')));

const entryOf = (fields: FieldValues, username = 'ann'): DirectoryUser => ({ dn: 'uid=ann,ou=people,dc=lab', externalId: 'id-ann', username, fields, enabled: true });

/** A user linked to the realm (base = what was synced) or, for `base` undefined, an internal user matched by username. */
function userOf(local: FieldValues, base: FieldValues | undefined): UserRecord {
  const user: UserRecord = { id: 'u1', username: 'ann', kind: 'internal', enabled: true, roles: [], fields: local, createdAt: AT, updatedAt: AT };
  if (base === undefined) return user;
  return {
    ...user,
    kind: 'external',
    origin: { realmId: 'r1', externalId: 'id-ann', dn: 'uid=ann,ou=people,dc=lab', syncedAt: AT, base, baseUsername: 'ann', directoryEnabled: true },
  };
}

const valueOf = (choice: 'directory' | 'local', local: string, directory: string) => (choice === 'directory' ? directory : local);

describe('mergeField (property)', () => {
  it(
    'takes the side that changed: the directory always, Roster on fields Roster owns',
    () => {
      fc.assert(
        fc.property(owner, fieldValue, fieldValue, fieldValue, (fieldOwner, base, local, directory) => {
          const field = { key: 'department', label: 'Department', type: 'text', owner: fieldOwner, required: false } as FieldDefinition;
          const merged = mergeField(field, base, local, directory);
          const chosen = valueOf(merged.choice, local, directory);
          if (local === directory) {
            expect(merged).toEqual({ outcome: base === directory ? 'unchanged' : 'converged', choice: 'directory' });
          } else if (local === base) {
            // Only the directory changed.
            expect(merged).toEqual({ outcome: 'take-directory', choice: 'directory' });
            expect(chosen).toBe(directory);
          } else if (directory === base) {
            // Only Roster changed.
            expect(merged).toEqual(fieldOwner === 'local' ? { outcome: 'keep-local', choice: 'local' } : { outcome: 'take-directory', choice: 'directory' });
            expect(chosen).toBe(fieldOwner === 'local' ? local : directory);
          } else {
            expect(merged).toEqual({ outcome: 'conflict', choice: fieldOwner === 'local' ? 'local' : 'directory' });
          }
        }),
        { numRuns: propertyRuns(2000) },
      );
    },
    propertyTimeout(),
  );

  it(
    'is symmetric: swapping which side changed swaps which value is taken (on fields Roster owns)',
    () => {
      fc.assert(
        fc.property(fieldValue, fieldValue, (base, changed) => {
          fc.pre(base !== changed);
          const field = { key: 'department', label: 'Department', type: 'text', owner: 'local', required: false } as FieldDefinition;
          const onlyLocal = mergeField(field, base, changed, base);
          const onlyDirectory = mergeField(field, base, base, changed);
          expect(valueOf(onlyLocal.choice, changed, base)).toBe(changed);
          expect(valueOf(onlyDirectory.choice, base, changed)).toBe(changed);
        }),
        { numRuns: propertyRuns(2000) },
      );
    },
    propertyTimeout(),
  );
});

describe('threeWayDiff + applyDiff (property)', () => {
  const mode = fc.oneof(
    fc.constant(undefined),
    fc.dictionary(fc.constantFrom(...KEYS), fc.constantFrom<'directory' | 'local'>('directory', 'local')).map((c): Choices => c),
  );

  it(
    'applies the rules per field, and merging the result again with the same entry changes nothing',
    () => {
      fc.assert(
        fc.property(
          catalogue,
          values,
          fc.option(values, { nil: undefined }),
          values,
          fc.constantFrom('ann', 'ann.lee'),
          fc.boolean(),
          mode,
          (fields, local, base, directory, username, usernameFree, choices) => {
            const user = userOf(local, base);
            const entry = entryOf(directory, username);
            const diff = threeWayDiff(user, realm, fields, entry);
            const first = applyDiff(user, diff, entry, AT, { choices, usernameFree });

            // The rules, field by field, on what the first merge wrote.
            for (const field of fields) {
              const b = base?.[field.key] ?? '';
              const l = local[field.key] ?? '';
              const d = directory[field.key] ?? '';
              const now = first.user.fields[field.key] ?? '';
              if (base === undefined || choices?.[field.key] !== undefined) continue;
              if (l === b && d !== b) expect(now, `${field.key}: only the directory changed`).toBe(d);
              if (d === b && l !== b) expect(now, `${field.key}: only Roster changed`).toBe(field.owner === 'local' ? l : d);
            }

            // Merging again: no change at all, and only the conflicts still waiting are left to settle.
            const again = threeWayDiff(first.user, realm, fields, entry);
            const second = applyDiff(first.user, again, entry, LATER, { choices, usernameFree });
            expect(second.changes).toEqual([]);
            expect(second.user.fields).toEqual(first.user.fields);
            expect(second.user.username).toBe(first.user.username);
            expect(second.user.origin?.base).toEqual(first.user.origin?.base);
            const pending = (u: UserRecord) => (u.conflicts ?? []).map(({ detectedAt: _, ...c }) => c);
            expect(pending(second.user)).toEqual(pending(first.user));
            // Without choices (import, reconcile) the second diff proposes nothing but the waiting conflicts. (With
            // the dialog's choices it may propose again what the admin chose against; applying them changes nothing.)
            if (!choices) expect(again.changes).toBe(first.conflicts.length);
          },
        ),
        { numRuns: propertyRuns(1000) },
      );
    },
    propertyTimeout(),
  );
});
