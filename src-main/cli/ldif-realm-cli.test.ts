import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './run-cli';

let dir: string;
const roster = (...args: string[]) => runCli(join(dir, 'data'), args);
const json = async (...args: string[]) => {
  const result = await roster(...args, '--json');
  expect(result.err).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.out);
};

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'roster-cli-ldif-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

// As ldapsearch writes a plain inetOrgPerson tree without '+': no entryUUID, no displayName, a DN with spaces.
const OPENLDAP_EXPORT = `version: 1

dn: dc=example,dc=org
objectClass: dcObject
objectClass: organization
o: Example
dc: example

dn: uid=bjensen, ou=People, dc=example,dc=org
objectclass: inetOrgPerson
uid: bjensen
cn: Barbara Jensen
cn: Babs Jensen
cn;lang-es: Babet
sn: Jensen
mail: bjensen@example.org

dn: uid=tmorris,ou=People,dc=example,dc=org
objectClass: top
objectClass: inetOrgPerson
uid: tmorris
cn: Ted Morris
sn: Morris
`;

// As ldifde writes a domain: two people, the built-in accounts, a computer and a trust account.
const AD_EXPORT = (
  [
    ['CN=Ann Lee,OU=Staff,DC=corp,DC=example', 'alee', '805306368', 'Ann Lee', 'FALSE'],
    ['CN=Bob Ray,OU=Staff,DC=corp,DC=example', 'bray', '805306368', '', 'FALSE'],
    ['CN=Administrator,CN=Users,DC=corp,DC=example', 'Administrator', '805306368', '', 'TRUE'],
    ['CN=krbtgt,CN=Users,DC=corp,DC=example', 'krbtgt', '805306368', '', 'TRUE'],
    ['CN=WS01,CN=Computers,DC=corp,DC=example', 'WS01$', '805306369', '', 'FALSE'],
    ['CN=CHILD1$,CN=Users,DC=corp,DC=example', 'CHILD1$', '805306370', '', 'FALSE'],
  ] as const
)
  .map(([dn, sam, type, display, critical], i) =>
    [
      `dn: ${dn}`,
      'objectClass: top',
      'objectClass: person',
      'objectClass: organizationalPerson',
      'objectClass: user',
      ...(sam === 'WS01$' ? ['objectClass: computer'] : []),
      `cn: ${dn.slice(3, dn.indexOf(','))}`,
      `sAMAccountName: ${sam}`,
      `sAMAccountType: ${type}`,
      ...(display ? [`displayName: ${display}`] : []),
      ...(critical === 'TRUE' ? ['isCriticalSystemObject: TRUE'] : []),
      `objectGUID:: ${Buffer.from(Array.from({ length: 16 }, (_, b) => (b === 0 ? i + 1 : b))).toString('base64')}`,
      'userAccountControl: 512',
      '',
    ].join('\n'),
  )
  .join('\n');

describe('roster realm add --kind ldif-file', () => {
  it('detects an OpenLDAP export without ids, says users are matched by DN, and imports it with names from cn', async () => {
    const file = join(dir, 'people.ldif');
    await writeFile(file, OPENLDAP_EXPORT);
    const added = await roster('realm', 'add', '--name', 'Lab export', '--kind', 'ldif-file', '--ldif', file);
    expect(added.code).toBe(0);
    expect(added.out.split('\n')).toEqual([
      expect.stringMatching(
        new RegExp(
          `^Added realm "Lab export" \\(ldif-file, id [0-9a-f-]{36}\\): ${file.replace(/[.]/g, '\\.')}, OpenLDAP export detected: no entry has objectGUID or sAMAccountName, so it is read as an OpenLDAP export; 2 users of 3 entries\\.$`,
        ),
      ),
      "Note: Users are matched by DN: the entries carry no id attribute (entryUUID), so a user renamed or moved in the directory is taken for a new one. Export with slapcat, or ask ldapsearch for '+' as well, to keep ids.",
    ]);
    const [realm] = await json('realm', 'list');
    expect(realm).toMatchObject({
      kind: 'ldif-file',
      idAttribute: 'dn',
      ldif: { path: file, flavour: 'openldap' },
      search: { userFilter: '(objectClass=inetOrgPerson)' },
    });

    expect(await json('import', '--realm', 'Lab export', '--query', '*')).toMatchObject({ created: 2, conflicts: 0 });
    const users = await json('users', 'list');
    expect(users.users.map((u: { username: string; displayName: string }) => [u.username, u.displayName])).toEqual([
      ['bjensen', 'Barbara Jensen'],
      ['tmorris', 'Ted Morris'],
    ]);
  });

  it('detects an Active Directory export and imports only its normal user accounts', async () => {
    const file = join(dir, 'corp.ldf');
    await writeFile(file, AD_EXPORT);
    const added = await roster('realm', 'add', '--name', 'Corp offline', '--kind', 'ldif-file', '--ldif', file);
    expect(added.out).toContain(
      'Active Directory export detected: CN=Ann Lee,OU=Staff,DC=corp,DC=example has objectGUID, as Active Directory entries do; 2 users of 6 entries.',
    );
    expect(await json('import', '--realm', 'Corp offline', '--query', '*')).toMatchObject({ created: 2 });
    const users = await json('users', 'list');
    expect(users.users.map((u: { username: string; displayName: string }) => [u.username, u.displayName])).toEqual([
      ['alee', 'Ann Lee'],
      ['bray', 'Bob Ray'],
    ]);
  });

  it('takes --flavour over detection, and refuses a missing file or server options with clear messages', async () => {
    const file = join(dir, 'corp.ldf');
    await writeFile(file, AD_EXPORT);
    const forced = await roster('realm', 'add', '--name', 'Forced', '--kind', 'ldif-file', '--ldif', file, '--flavour', 'openldap');
    expect(forced.out).toContain('read as OpenLDAP (--flavour); 0 users of 6 entries.');
    expect(await roster('realm', 'add', '--name', 'X', '--kind', 'ldif-file')).toMatchObject({
      code: 1,
      err: 'roster: An ldif-file realm needs --ldif FILE: the LDIF export (ldifde, slapcat, ldapsearch) to read.',
    });
    expect(await roster('realm', 'add', '--name', 'X', '--kind', 'ldif-file', '--ldif', join(dir, 'nope.ldif'))).toMatchObject({
      code: 1,
      err: `roster: The LDIF file ${join(dir, 'nope.ldif')} cannot be read: it does not exist. Choose the file again in the realm settings.`,
    });
    expect(await roster('realm', 'add', '--name', 'X', '--kind', 'ldif-file', '--ldif', file, '--tls', 'ldaps', '--url', 'ldap://x')).toMatchObject({
      code: 1,
      err: 'roster: An ldif-file realm reads a file, not a server: leave out --url, --tls.',
    });
    expect(await roster('realm', 'add', '--name', 'X', '--kind', 'openldap', '--url', 'ldap://x')).toMatchObject({
      code: 1,
      err: 'roster: A openldap realm needs --bind-dn, --base-dn (an offline realm: --kind ldif-file --ldif FILE).',
    });
  });

  it('takes an ordered list per field with --map, and refuses a list that is not attribute names', async () => {
    const file = join(dir, 'people.ldif');
    await writeFile(file, OPENLDAP_EXPORT);
    const added = await roster(
      'realm',
      'add',
      '--name',
      'Lab',
      '--kind',
      'ldif-file',
      '--ldif',
      file,
      '--map',
      'displayName=displayName,givenName+sn,cn',
      '--map',
      'email=mail',
    );
    expect(added.code).toBe(0);
    const [realm] = await json('realm', 'list');
    expect(realm.mapping).toMatchObject({ displayName: ['displayName', 'givenName+sn', 'cn'], email: ['mail'] });
    await json('import', '--realm', 'Lab', '--query', '*');
    const users = await json('users', 'list');
    // No givenName in the file: givenName+sn gives the surname alone, before cn is reached.
    expect(users.users.map((u: { displayName: string }) => u.displayName)).toEqual(['Jensen', 'Morris']);
    expect(await roster('realm', 'add', '--name', 'Bad', '--kind', 'ldif-file', '--ldif', file, '--map', 'displayName=display name')).toMatchObject({
      code: 1,
      err: 'roster: --map displayName: "display name" is not an attribute name: list attributes separated by commas, e.g. displayName, cn, givenName+sn.',
    });
    expect(await roster('realm', 'add', '--name', 'Bad', '--kind', 'ldif-file', '--ldif', file, '--map', 'fullName=cn')).toMatchObject({ code: 1 });
  });

  it('reconciles a realm matched by DN against a re-export that spells the DNs differently', async () => {
    const file = join(dir, 'people.ldif');
    await writeFile(file, OPENLDAP_EXPORT);
    await roster('realm', 'add', '--name', 'Lab', '--kind', 'ldif-file', '--ldif', file);
    await json('import', '--realm', 'Lab', '--query', '*');
    // The next export writes no spaces after the commas, upper-cases the attribute types, and has a new mail.
    await writeFile(
      file,
      OPENLDAP_EXPORT.replace('dn: uid=bjensen, ou=People, dc=example,dc=org', 'dn: UID=bjensen,OU=People,DC=example,DC=org').replace(
        'mail: bjensen@example.org',
        'mail: babs@example.org',
      ),
    );
    const summary = await json('resync', '--realm', 'Lab', '--all');
    expect(summary).toMatchObject({ matched: 2, updated: 1, unchanged: 1, notFound: 0, conflicts: 0 });
    expect(summary.changes.find((c: { username: string }) => c.username === 'bjensen')).toMatchObject({
      action: 'updated',
      // The same entry: the DN as the new file spells it, and the new mail.
      changes: [
        { field: 'dn', before: 'uid=bjensen, ou=People, dc=example,dc=org', after: 'UID=bjensen,OU=People,DC=example,DC=org' },
        { field: 'email', before: 'bjensen@example.org', after: 'babs@example.org' },
      ],
    });
  });

  it('counts users and finds their id with the filter given, and decides the id from every entry when none matches', async () => {
    const file = join(dir, 'accounts.ldif');
    const account = (uid: string, n: number) =>
      `dn: uid=${uid},ou=Accounts,dc=example,dc=org\nobjectClass: account\nobjectClass: posixAccount\nuid: ${uid}\ncn: ${uid}\nuidNumber: ${n}\ngidNumber: 100\nhomeDirectory: /home/${uid}\nentryUUID: 6b1c0c1e-0000-4000-8000-00000000000${n}\n`;
    await writeFile(file, [account('ops1', 1), account('ops2', 2)].join('\n'));
    const preset = await roster('realm', 'add', '--name', 'Preset', '--kind', 'ldif-file', '--ldif', file);
    expect(preset.out).toContain('0 users of 2 entries.');
    expect(preset.out).toContain(
      "Note: the user filter (objectClass=inetOrgPerson) selects none of the file's entries; give the one that selects its people with --filter.",
    );
    expect((await json('realm', 'list'))[0]).toMatchObject({ idAttribute: 'entryUUID' });
    const filtered = await roster(
      'realm',
      'add',
      '--name',
      'Accounts',
      '--kind',
      'ldif-file',
      '--ldif',
      file,
      '--filter',
      '(objectClass=posixAccount)',
      '--page-size',
      '50',
    );
    expect(filtered.out).toContain('2 users of 2 entries.');
    expect((await json('realm', 'list'))[1]).toMatchObject({ idAttribute: 'entryUUID', search: { userFilter: '(objectClass=posixAccount)', pageSize: 50 } });
    expect(await json('import', '--realm', 'Accounts', '--query', '*')).toMatchObject({ created: 2 });
  });
});
