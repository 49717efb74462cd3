import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RealmRecord } from '#shared/model/realm';
import { realmFromPreset } from '#shared/model/realm-presets';
import type { UserRecord } from '#shared/model/user';
import type { ExportUser } from './columns';
import { commonParent, describeDirectory, directoryOf, exportFiles, planParts, realmSlug } from './parts';

const realm = (id: string, name: string, kind: RealmRecord['kind'] = 'openldap', baseDn = 'dc=example,dc=org'): RealmRecord => ({
  ...realmFromPreset(kind, { name, urls: kind === 'ldif-file' ? [] : [`ldap://${id}.example:389`], bindDn: '', baseDn }),
  id,
  order: 0,
});
const row = (r: RealmRecord | undefined, username: string): ExportUser => ({
  user: { id: username, username, kind: 'external', enabled: true, roles: [], fields: {}, createdAt: '', updatedAt: '' } satisfies UserRecord,
  ...(r ? { realm: r } : {}),
  changes: [],
});
const withDn = (r: RealmRecord, username: string, dn: string): ExportUser => {
  const base = row(r, username);
  return {
    ...base,
    user: { ...base.user, origin: { realmId: r.id, externalId: username, dn, syncedAt: '', base: {}, baseUsername: username, directoryEnabled: true } },
  };
};

const LAB = realm('lab', 'Lab');
const CORP = realm('corp', 'Corp AD (Zürich)', 'active-directory', 'DC=corp,DC=example');
const dir = join('/srv', 'out');

describe('realmSlug', () => {
  it.each([
    ['Lab', 'lab'],
    ['Corp AD (Zürich)', 'corp-ad-zurich'],
    ['  ÅNGSTRÖM / Ørsted  ', 'angstrom-orsted'],
    ['東京', 'realm'],
    ['a'.repeat(60), 'a'.repeat(40)],
  ])('%s -> %s', (name, slug) => expect(realmSlug(name)).toBe(slug));
});

describe('exportFiles', () => {
  it('adds the extension, the realm slug before it, and the CSV beside a script', () => {
    expect(exportFiles({ format: 'ldif', path: join(dir, 'changes') })).toEqual([join(dir, 'changes.ldif')]);
    expect(exportFiles({ format: 'ldif', path: join(dir, 'changes.ldif') }, 'lab')).toEqual([join(dir, 'changes-lab.ldif')]);
    expect(exportFiles({ format: 'ps1', path: join(dir, 'apply.PS1') })).toEqual([join(dir, 'apply.PS1'), join(dir, 'apply.csv')]);
    expect(exportFiles({ format: 'ps1', path: join(dir, 'apply') }, 'corp')).toEqual([join(dir, 'apply-corp.ps1'), join(dir, 'apply-corp.csv')]);
  });
});

describe('planParts', () => {
  const rows = [row(LAB, 'a'), row(CORP, 'b'), row(LAB, 'c')];

  it('writes XLSX and CSV as one file whatever the realms', () => {
    expect(planParts({ format: 'csv', path: join(dir, 'x.csv') }, rows)).toEqual([{ rows, files: [join(dir, 'x.csv')] }]);
  });

  it('writes LDIF and PS1 per realm, ordered by realm name, each file named with its realm', () => {
    const parts = planParts({ format: 'ldif', path: join(dir, 'roster-changes-2026-12-01.ldif') }, rows);
    expect(parts.map((p) => [p.realm?.name, p.rows.map((r) => r.user.username), p.files])).toEqual([
      ['Corp AD (Zürich)', ['b'], [join(dir, 'roster-changes-2026-12-01-corp-ad-zurich.ldif')]],
      ['Lab', ['a', 'c'], [join(dir, 'roster-changes-2026-12-01-lab.ldif')]],
    ]);
    expect(planParts({ format: 'ps1', path: join(dir, 'apply.ps1') }, rows).map((p) => p.files)).toEqual([
      [join(dir, 'apply-corp-ad-zurich.ps1'), join(dir, 'apply-corp-ad-zurich.csv')],
      [join(dir, 'apply-lab.ps1'), join(dir, 'apply-lab.csv')],
    ]);
  });

  it('keeps the name asked for when one realm (or none) is in scope', () => {
    expect(planParts({ format: 'ldif', path: join(dir, 'c.ldif') }, [row(LAB, 'a')])).toEqual([
      { realm: LAB, rows: [row(LAB, 'a')], files: [join(dir, 'c.ldif')] },
    ]);
    expect(planParts({ format: 'ldif', path: join(dir, 'c.ldif') }, [])).toEqual([{ rows: [], files: [join(dir, 'c.ldif')] }]);
  });

  it('makes two realms whose names give the same slug write different files', () => {
    const other = realm('lab2', 'LAB!');
    expect(planParts({ format: 'ldif', path: join(dir, 'c.ldif') }, [row(LAB, 'a'), row(other, 'b')]).map((p) => p.files[0])).toEqual([
      join(dir, 'c-lab.ldif'),
      join(dir, 'c-lab-2.ldif'),
    ]);
  });
});

describe('directories', () => {
  it('finds the entry every DN is under, whatever the case and spaces', () => {
    expect(commonParent(['uid=a,ou=People,dc=x,dc=org', 'uid=b, ou=people, dc=x, dc=org'])).toBe('ou=People,dc=x,dc=org');
    expect(commonParent(['uid=a,ou=people,dc=x', 'cn=b,ou=groups,dc=x'])).toBe('dc=x');
    expect(commonParent(['CN=Smith\\, John,OU=Sales,DC=corp'])).toBe('OU=Sales,DC=corp');
    expect(commonParent(['uid=a,dc=x', 'uid=b,dc=y'])).toBe('');
    expect(commonParent([])).toBe('');
  });

  it('names the server and base DN of a live realm, and the file standing for an offline one', () => {
    expect(describeDirectory(directoryOf(CORP, [row(CORP, 'b')]))).toBe(
      'Corp AD (Zürich) (Active Directory) at ldap://corp.example:389, base DN DC=corp,DC=example',
    );
    const offline: RealmRecord = { ...realm('off', 'Branch (offline)', 'ldif-file', ''), ldif: { path: '/srv/branch.ldif' } };
    const directory = directoryOf(offline, [withDn(offline, 'a', 'uid=a,ou=people,dc=branch'), withDn(offline, 'b', 'uid=b,ou=people,dc=branch')]);
    expect(directory).toEqual({
      realm: 'Branch (offline)',
      kind: 'ldif-file',
      urls: [],
      ldifFile: '/srv/branch.ldif',
      baseDn: 'ou=people,dc=branch',
      users: 2,
    });
    expect(describeDirectory(directory)).toBe('Branch (offline) (LDIF file) read from the LDIF file /srv/branch.ldif, base DN ou=people,dc=branch');
  });
});
