import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DN_AS_ID } from '#shared/model/realm';
import { realmFromPreset } from '#shared/model/realm-presets';
import { RosterError } from '#shared/result';
import { objectGuidFor, startSlapd, type SlapdServer } from '../../../e2e/fixtures/slapd';
import { addRealm as addRealmWithPassword } from '../../../e2e/fixtures/users';
import { demoRealmInput, findResourcesDir } from '../ldif/demo';
import { guidToString } from '../ldap/guid';
import { SessionSecretStore } from '../secrets/secret-store';
import { openServices, type Services } from '../services';
import { createHandlers, dispatch } from '../../handlers';
import type { Channel, ChannelOutput } from '#shared/ipc/contract';
import type { AppError } from '#shared/result';

let openldap: SlapdServer;
let ad: SlapdServer;
let dir: string;
let services: Services;

beforeAll(async () => {
  [openldap, ad] = await Promise.all([startSlapd({ flavor: 'openldap', users: 12 }), startSlapd({ flavor: 'ad', users: 12 })]);
}, 60_000);
afterAll(async () => {
  await openldap?.stop();
  await ad?.stop();
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'roster-convert-'));
  services = await openServices({ dataDir: dir, owner: 'test', transport: 'cli', secrets: new SessionSecretStore('t'), version: 't', actor: 'alice' });
  return async () => {
    await services.close();
    await rm(dir, { recursive: true, force: true });
  };
});

const failure = async (work: Promise<unknown>): Promise<RosterError> => {
  try {
    await work;
  } catch (error) {
    if (error instanceof RosterError) return error;
    throw error;
  }
  throw new Error('expected a failure');
};

const addRealm = async (server: SlapdServer, kind: 'openldap' | 'active-directory') =>
  addRealmWithPassword(services, realmFromPreset(kind, { name: kind, urls: [server.url], bindDn: server.readerDn, baseDn: server.baseDn, tls: 'none' }), server.readerPassword);

describe('internal -> external', () => {
  it('finds the directory user by username and links it: directory fields from the directory, local values kept', async () => {
    const realm = await addRealm(openldap, 'openldap');
    const { user } = await services.users.create({
      username: 'ZANGSTROM',
      fields: { displayName: 'Zoe typed by hand', department: 'Research', mobile: '+44 7700 900123' },
      enabled: true,
      roles: [],
    });
    const candidates = await services.conversion.findInRealm(user.id, realm.id);
    expect(candidates).toEqual([
      {
        dn: `uid=zangstrom,${openldap.peopleDn}`,
        externalId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        username: 'zangstrom',
        email: 'zangstrom@example.org',
        displayName: 'Zoë Ångström',
        enabled: true,
      },
    ]);
    const detail = await services.conversion.toExternal(user.id, realm.id, candidates[0]!.dn);
    expect(detail.user.kind).toBe('external');
    expect(detail.user.origin).toMatchObject({
      realmId: realm.id,
      externalId: candidates[0]!.externalId,
      dn: candidates[0]!.dn,
      baseUsername: 'zangstrom',
      directoryEnabled: true,
    });
    const field = (key: string) => detail.fields.find((f) => f.key === key)!;
    expect(field('displayName')).toMatchObject({ value: 'Zoë Ångström', readOnly: true, source: 'directory' });
    // Local and set in Roster: kept, and a completion against the directory's value.
    expect(field('department')).toMatchObject({ value: 'Research', directoryValue: 'Sales', completion: true });
    expect(field('mobile')).toMatchObject({ value: '+44 7700 900123', directoryValue: '', completion: true });
    // Local but empty in Roster: taken from the directory.
    expect(field('phone')).toMatchObject({ value: '+1 555 0000001', completion: false });
    const entry = (await services.audit.query({ action: 'user.to-external' }))[0]!;
    expect(entry.changes.slice(0, 4)).toEqual([
      { field: 'kind', before: 'internal', after: 'external' },
      { field: 'realm', before: '', after: 'openldap' },
      { field: 'dn', before: '', after: candidates[0]!.dn },
      { field: 'displayName', before: 'Zoe typed by hand', after: 'Zoë Ångström' },
    ]);
    expect(services.userStore.findByExternalId(realm.id, candidates[0]!.externalId)?.id).toBe(user.id);

    // The same entry cannot become a second user.
    const twin = await services.users.create({ username: 'zangstrom2', fields: {}, enabled: true, roles: [] });
    expect((await failure(services.conversion.toExternal(twin.user.id, realm.id, candidates[0]!.dn))).message).toBe(
      `uid=zangstrom,${openldap.peopleDn} is already linked to the user ZANGSTROM; one directory entry cannot be two users.`,
    );
  });

  it('reads Active Directory ids and account state: objectGUID as the canonical string, userAccountControl 0x2 as disabled', async () => {
    const realm = await addRealm(ad, 'active-directory');
    const { user } = await services.users.create({ username: 'user00010', fields: {}, enabled: true, roles: [] });
    const [candidate] = await services.conversion.findInRealm(user.id, realm.id);
    expect(candidate).toMatchObject({ username: 'user00010', externalId: guidToString(objectGuidFor(10)), enabled: false });
    const detail = await services.conversion.toExternal(user.id, realm.id, candidate!.dn);
    expect(detail.user.origin).toMatchObject({ directoryEnabled: false, userPrincipalName: 'user00010@corp.example' });
  });

  it('says clearly when nothing matches, the password is missing, or the server is down', async () => {
    const realm = await addRealm(openldap, 'openldap');
    const { user } = await services.users.create({ username: 'nobody-here', fields: {}, enabled: true, roles: [] });
    expect(await services.conversion.findInRealm(user.id, realm.id)).toEqual([]);
    await services.realms.update(
      realm.id,
      realmFromPreset('openldap', { name: 'openldap', urls: [openldap.url], bindDn: openldap.readerDn, baseDn: openldap.baseDn, tls: 'none' }),
      { forgetPassword: true },
    );
    const missing = await failure(services.conversion.findInRealm(user.id, realm.id));
    expect(missing).toMatchObject({
      code: 'password-required',
      message: 'The bind password for realm "openldap" is not saved; enter it to search the directory.',
    });
    await services.realms.setPassword({ realmId: realm.id, password: 'wrong' });
    const wrong = await failure(services.conversion.findInRealm(user.id, realm.id));
    expect(wrong.code).toBe('invalid-credentials');
  });
});

describe('internal -> external on the demo directory (an ldif-file realm), through the handler table', () => {
  const ZOE_DN = 'CN=Zoë Ångström,OU=Engineering,OU=Staff,DC=demo,DC=example';
  // objectGUID:: ytShL5xuIk+DlYF7+KCc1g== in resources/demo/directory.ldif.
  const ZOE_ID = guidToString(Buffer.from('ytShL5xuIk+DlYF7+KCc1g==', 'base64'));

  const call = async <C extends Channel>(channel: C, input: unknown): Promise<ChannelOutput<C>> => {
    const result = await dispatch(createHandlers(services), channel, input);
    if (!result.ok) throw new Error(`${channel}: ${result.error.code}: ${result.error.message}`);
    return result.value as ChannelOutput<C>;
  };
  const refusal = async (channel: Channel, input: unknown): Promise<AppError> => {
    const result = await dispatch(createHandlers(services), channel, input);
    if (result.ok) throw new Error(`${channel} was expected to fail`);
    return result.error;
  };
  const demoRealm = () => call('realms:create', { realm: demoRealmInput(findResourcesDir()) });

  it('finds the user in the LDIF file by sAMAccountName and links it: origin, directory-owned values from the file, local values kept, audited', async () => {
    const realm = await demoRealm();
    expect(realm).toMatchObject({ kind: 'ldif-file', name: 'Demo directory (offline)' });
    const created = await call('users:create', {
      username: 'ZAngstrom',
      fields: { displayName: 'Zoe typed by hand', department: 'Research', mobile: '+44 7700 900123' },
      roles: [],
    });
    const id = created.user.id;

    const candidates = await call('users:find-in-realm', { id, realmId: realm.id });
    expect(candidates).toEqual([
      { dn: ZOE_DN, externalId: ZOE_ID, username: 'zangstrom', email: 'zoe.angstrom@demo.example', displayName: 'Zoë Ångström', enabled: true },
    ]);

    const detail = await call('users:to-external', { id, realmId: realm.id, dn: ZOE_DN });
    expect(detail.realmName).toBe('Demo directory (offline)');
    expect(detail.user).toMatchObject({ id, username: 'ZAngstrom', kind: 'external', enabled: true });
    expect(detail.user.origin).toEqual({
      realmId: realm.id,
      externalId: ZOE_ID,
      dn: ZOE_DN,
      syncedAt: detail.user.updatedAt,
      base: {
        displayName: 'Zoë Ångström',
        givenName: 'Zoë',
        surname: 'Ångström',
        email: 'zoe.angstrom@demo.example',
        department: 'Engineering',
        title: 'Senior Engineer',
        phone: '+1 425 555 4102',
        office: 'Remote',
        company: 'Example Corp',
        manager: 'CN=Gabriel Perez,OU=Engineering,OU=Staff,DC=demo,DC=example',
        employeeId: '001063',
      },
      baseUsername: 'zangstrom',
      directoryEnabled: true,
      userPrincipalName: 'zangstrom@demo.example',
    });
    // Directory-owned fields take the file's values (Full name overwrites what was typed); local fields keep
    // Roster's value (Department, Mobile) or take the file's where Roster had none.
    expect(detail.user.fields).toEqual({
      displayName: 'Zoë Ångström',
      givenName: 'Zoë',
      surname: 'Ångström',
      email: 'zoe.angstrom@demo.example',
      department: 'Research',
      title: 'Senior Engineer',
      phone: '+1 425 555 4102',
      mobile: '+44 7700 900123',
      office: 'Remote',
      company: 'Example Corp',
      manager: 'CN=Gabriel Perez,OU=Engineering,OU=Staff,DC=demo,DC=example',
      employeeId: '001063',
    });
    const field = (key: string) => detail.fields.find((f) => f.key === key);
    expect(field('displayName')).toMatchObject({ value: 'Zoë Ångström', readOnly: true, source: 'directory' });
    expect(field('department')).toMatchObject({ value: 'Research', directoryValue: 'Engineering', completion: true });
    expect(field('mobile')).toMatchObject({ value: '+44 7700 900123', directoryValue: '', completion: true });
    expect(services.userStore.findByExternalId(realm.id, ZOE_ID)?.id).toBe(id);

    const [entry] = await call('users:history', { id });
    expect(entry).toMatchObject({ action: 'user.to-external', userId: id, username: 'ZAngstrom', realmId: realm.id, note: `Linked to ${ZOE_DN}.` });
    expect(entry!.changes).toEqual([
      { field: 'kind', before: 'internal', after: 'external' },
      { field: 'realm', before: '', after: 'Demo directory (offline)' },
      { field: 'dn', before: '', after: ZOE_DN },
      { field: 'displayName', before: 'Zoe typed by hand', after: 'Zoë Ångström' },
      { field: 'givenName', before: '', after: 'Zoë' },
      { field: 'surname', before: '', after: 'Ångström' },
      { field: 'email', before: '', after: 'zoe.angstrom@demo.example' },
      { field: 'title', before: '', after: 'Senior Engineer' },
      { field: 'phone', before: '', after: '+1 425 555 4102' },
      { field: 'office', before: '', after: 'Remote' },
      { field: 'company', before: '', after: 'Example Corp' },
      { field: 'manager', before: '', after: 'CN=Gabriel Perez,OU=Engineering,OU=Staff,DC=demo,DC=example' },
      { field: 'employeeId', before: '', after: '001063' },
    ]);

    // A resync right after finds nothing to change: conversion left the user exactly as the shared merge would.
    const diff = await call('sync:preview', { userId: id, realmId: realm.id, dn: ZOE_DN });
    expect(diff.fields.filter((f) => f.outcome !== 'unchanged').map((f) => [f.field, f.outcome])).toEqual([
      ['department', 'keep-local'],
      ['mobile', 'keep-local'],
    ]);
  });

  it('reads an entry whose DN holds an escaped comma, and a disabled account (userAccountControl 514), from the file', async () => {
    const realm = await demoRealm();
    const smith = (await call('users:create', { username: 'jsmith', fields: {}, roles: [] })).user;
    const [john] = await call('users:find-in-realm', { id: smith.id, realmId: realm.id });
    expect(john).toMatchObject({ dn: 'CN=Smith\\, John,OU=Finance,OU=Staff,DC=demo,DC=example', displayName: 'Smith, John', enabled: true });
    const linked = await call('users:to-external', { id: smith.id, realmId: realm.id, dn: john!.dn });
    expect(linked.user.origin).toMatchObject({ dn: john!.dn, externalId: john!.externalId, baseUsername: 'jsmith' });
    expect(linked.user.fields.displayName).toBe('Smith, John');

    const diaz = (await call('users:create', { username: 'cdiaz', fields: {}, roles: [] })).user;
    const [camila] = await call('users:find-in-realm', { id: diaz.id, realmId: realm.id });
    expect(camila).toMatchObject({ dn: 'CN=Camila Diaz,OU=Americas,OU=Sales,OU=Staff,DC=demo,DC=example', enabled: false });
    const disabled = await call('users:to-external', { id: diaz.id, realmId: realm.id, dn: camila!.dn });
    // Roster's own login switch is left alone; the directory's state is recorded and audited.
    expect(disabled.user).toMatchObject({ enabled: true, origin: { directoryEnabled: false } });
    const [entry] = await call('users:history', { id: diaz.id });
    expect(entry!.changes.at(-1)).toEqual({ field: 'directory account', before: '', after: 'disabled' });
  });

  it('links by DN on an OpenLDAP export without entryUUID, and never links one DN to two users', async () => {
    const path = join(dir, 'people.ldif');
    // As slapcat and 389-ds write it by hand: a space after the DN's commas, `objectclass` in lower case, cn only.
    await writeFile(
      path,
      [
        'dn: uid=mbrown, ou=People, dc=example,dc=org',
        'objectclass: inetOrgPerson',
        'uid: mbrown',
        'cn: Mary Brown',
        'sn: Brown',
        'mail: mary.brown@example.org',
        '',
      ].join('\n'),
    );
    const input = realmFromPreset('ldif-file', {
      name: 'People export',
      urls: [],
      bindDn: '',
      baseDn: 'dc=example,dc=org',
      ldifPath: path,
      flavour: 'openldap',
    });
    const realm = await call('realms:create', { realm: { ...input, idAttribute: DN_AS_ID } });
    const { user } = await call('users:create', { username: 'mbrown', fields: { title: 'Librarian' }, roles: [] });
    const [mary] = await call('users:find-in-realm', { id: user.id, realmId: realm.id });
    expect(mary).toEqual({
      dn: 'uid=mbrown, ou=People, dc=example,dc=org',
      externalId: '',
      username: 'mbrown',
      email: 'mary.brown@example.org',
      displayName: 'Mary Brown',
      enabled: true,
    });
    const detail = await call('users:to-external', { id: user.id, realmId: realm.id, dn: mary!.dn });
    expect(detail.user.origin).toMatchObject({ realmId: realm.id, externalId: '', dn: mary!.dn, baseUsername: 'mbrown' });
    expect(detail.user.fields).toEqual({ displayName: 'Mary Brown', surname: 'Brown', email: 'mary.brown@example.org', title: 'Librarian' });

    const twin = (await call('users:create', { username: 'mbrown2', fields: {}, roles: [] })).user;
    expect(await refusal('users:to-external', { id: twin.id, realmId: realm.id, dn: mary!.dn })).toEqual({
      code: 'conflict',
      message: `${mary!.dn} is already linked to the user mbrown; one directory entry cannot be two users.`,
    });
  });

  it('says clearly when the username is not in the file, or the entry chosen is not there', async () => {
    const realm = await demoRealm();
    const { user } = await call('users:create', { username: 'nobody-here', fields: { department: 'Research' }, roles: [] });
    expect(await call('users:find-in-realm', { id: user.id, realmId: realm.id })).toEqual([]);
    const missing = 'CN=Nobody Here,OU=Staff,DC=demo,DC=example';
    expect(await refusal('users:to-external', { id: user.id, realmId: realm.id, dn: missing })).toEqual({
      code: 'not-found',
      message: `The directory entry ${missing} was not found in realm "Demo directory (offline)".`,
    });
    // Another person's entry is refused by username, and nothing was changed or audited.
    expect(await refusal('users:to-external', { id: user.id, realmId: realm.id, dn: ZOE_DN })).toEqual({
      code: 'conflict',
      message: `${ZOE_DN} has the username "zangstrom", not "nobody-here"; choose the entry that matches.`,
    });
    expect(await call('users:get', { id: user.id })).toMatchObject({ user: { kind: 'internal', fields: { department: 'Research' } } });
    expect((await call('users:history', { id: user.id })).map((e) => e.action)).toEqual(['user.create']);
  });
});
