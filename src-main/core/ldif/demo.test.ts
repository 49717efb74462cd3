import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { realmInputSchema, type RealmRecord } from '#shared/model/realm';
import { REALM_PRESETS } from '#shared/model/realm-presets';
import { RosterError } from '#shared/result';
import { guidToString } from '../ldap/guid';
import type { LdapEntry } from '../ldap/search';
import { demoRealmInput, findResourcesDir } from './demo';
import { compileFilter } from './filter-match';
import { openLdifSource } from './ldif-source';
import { parseLdif } from './parse';

// Imported by URL: the generator lives outside the TypeScript project (tsconfig.node.json does not include resources/).
const GENERATOR = pathToFileURL(resolve(import.meta.dirname, '../../../resources/demo/generate-demo.ts')).href;
type Stats = Record<'users' | 'disabled' | 'computers' | 'groups' | 'contacts' | 'organizationalUnits', number>;
const { buildDemoDirectory, DEMO_FILE } = (await import(/* @vite-ignore */ GENERATOR)) as { buildDemoDirectory(): { ldif: string; stats: Stats }; DEMO_FILE: string };

const bytes = readFileSync(DEMO_FILE);
const { entries, skipped, warnings } = parseLdif(bytes, DEMO_FILE);
const { ldif, stats } = buildDemoDirectory();
const users = entries.filter(compileFilter(REALM_PRESETS['ldif-file'].userFilter));
const byAccount = new Map(users.map((u) => [u.text.samaccountname?.[0], u]));
const account = (sam: string): LdapEntry => {
  const user = byAccount.get(sam);
  if (!user) throw new Error(`no ${sam} in the demo directory`);
  return user;
};

describe('the demo directory', () => {
  it('is exactly what the generator writes (run npx tsx resources/demo/generate-demo.ts after changing it)', () => {
    expect(bytes.toString('utf8') === ldif).toBe(true);
    expect(buildDemoDirectory().ldif === ldif).toBe(true);
  });

  it('parses cleanly, as ldifde writes it: CRLF, changetype add, no version line', () => {
    expect({ skipped, warnings }).toEqual({ skipped: 0, warnings: [] });
    expect(bytes.includes('\r\n')).toBe(true);
    expect(entries).toHaveLength(1 + stats.organizationalUnits + 2 + stats.users + stats.computers + stats.groups + stats.contacts);
  });

  it('gives the ldif-file preset filter exactly the user accounts: no computers, groups, contacts or OUs', () => {
    expect(users).toHaveLength(stats.users);
    expect(stats.users).toBeGreaterThanOrEqual(290);
    for (const user of users) expect(user.text.objectclass).toEqual(['top', 'person', 'organizationalPerson', 'user']);
    const classes = (name: string) => entries.filter((e) => e.text.objectclass?.includes(name)).length;
    expect([classes('computer'), classes('group'), classes('contact')]).toEqual([stats.computers, stats.groups, stats.contacts]);
    // The Active Directory preset's filter works on the file too: objectCategory=person stands for the category DN.
    expect(entries.filter(compileFilter(REALM_PRESETS['active-directory'].userFilter))).toEqual(users);
  });

  it('gives every user a unique 16-byte objectGUID and a SID', () => {
    const guids = new Set(users.map((u) => guidToString(u.binary.objectguid?.[0] ?? Buffer.alloc(0))));
    expect(guids.size).toBe(users.length);
    for (const user of users) expect(user.binary.objectsid?.[0]?.length).toBe(28);
  });

  it('has as many disabled accounts as the generator made', () => {
    const disabled = users.filter((u) => (Number(u.text.useraccountcontrol?.[0]) & 2) !== 0);
    expect(disabled).toHaveLength(stats.disabled);
    expect(new Set(users.map((u) => u.text.useraccountcontrol?.[0]))).toEqual(new Set(['512', '514', '66048', '66050', '66082']));
  });

  it('holds the names ldifde writes in base64, and a DN with an escaped comma', () => {
    expect(account('jnunez').dn).toBe('CN=José Núñez,OU=EMEA,OU=Sales,OU=Staff,DC=demo,DC=example');
    expect(account('zangstrom').text.displayname).toEqual(['Zoë Ångström']);
    expect(account('lzolc').text.cn).toEqual(['Łukasz Żółć']);
    expect(account('wwang').text.cn).toEqual(['王伟']);
    expect(account('jsmith').dn).toBe('CN=Smith\\, John,OU=Finance,OU=Staff,DC=demo,DC=example');
    expect(ldif).toMatch(/\r\ndn:: [A-Za-z0-9+/=]+\r\n/);
  });

  it('leaves gaps for admins to complete and keeps identifiers that look like numbers as text', () => {
    const missing = (attribute: string) => users.filter((u) => !u.text[attribute]).length;
    for (const attribute of ['department', 'title', 'telephonenumber', 'mail']) expect(missing(attribute)).toBeGreaterThan(5);
    expect(missing('mobile')).toBeLessThan(users.length);
    expect(users.some((u) => u.text.telephonenumber?.[0]?.startsWith('001'))).toBe(true);
    expect(users.some((u) => /^0\d{5}$/.test(u.text.employeeid?.[0] ?? ''))).toBe(true);
    expect(users.some((u) => (u.text.proxyaddresses?.length ?? 0) > 1)).toBe(true);
    expect(users.some((u) => (u.text.othertelephone?.length ?? 0) > 1)).toBe(true);
    expect(ldif).toMatch(/\r\ninfo: .{72}\r\n .{77}\r\n/);
    const expires = new Set(users.map((u) => u.text.accountexpires?.[0]));
    expect(expires.has('0') && expires.has('9223372036854775807') && expires.size > 4).toBe(true);
  });

  it('links managers to users in the file, including the DN with the escaped comma', () => {
    const dns = new Set(entries.map((e) => e.dn));
    const managers = users.flatMap((u) => u.text.manager ?? []);
    expect(managers.length).toBeGreaterThan(200);
    for (const manager of managers) expect(dns.has(manager)).toBe(true);
    expect(managers).toContain('CN=Smith\\, John,OU=Finance,OU=Staff,DC=demo,DC=example');
  });
});

describe('findResourcesDir and demoRealmInput', () => {
  it('finds the resources folder from anywhere below the project', () => {
    const resources = findResourcesDir();
    expect(join(resources, 'demo', 'directory.ldif')).toBe(DEMO_FILE);
    expect(findResourcesDir(join(resources, '..', 'src-main', 'core', 'ldif'))).toBe(resources);
  });

  it('says so when there is no demo directory above', () => {
    expect(() => findResourcesDir('/')).toThrow(RosterError);
    expect(() => findResourcesDir('/')).toThrow(/The demo directory \(resources\/demo\/directory\.ldif\) was not found in \/ or any folder above it/);
  });

  it('makes a valid ldif-file realm that reads every demo user through the LDIF source', async () => {
    const input = realmInputSchema.parse(demoRealmInput(findResourcesDir()));
    expect(input).toMatchObject({
      name: 'Demo directory (offline)',
      kind: 'ldif-file',
      ldif: { path: DEMO_FILE },
      search: { baseDn: 'DC=demo,DC=example', userFilter: REALM_PRESETS['ldif-file'].userFilter, scope: 'sub', pageSize: 500 },
      idAttribute: 'objectGUID',
      mapping: REALM_PRESETS['ldif-file'].mapping,
      connection: { urls: [] },
    });
    const source = await openLdifSource({ ...input, id: 'demo', order: 0 } satisfies RealmRecord);
    const sizes: number[] = [];
    for await (const page of source.search(input.search.userFilter)) sizes.push(page.length);
    expect(sizes).toEqual([stats.users]);
    const jose = account('jnunez');
    expect((await source.findById(guidToString(jose.binary.objectguid![0]!))).map((e) => e.dn)).toEqual([jose.dn]);
  });
});
