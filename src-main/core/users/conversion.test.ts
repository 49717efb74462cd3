import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { realmFromPreset } from '../../../src-shared/model/realm-presets';
import { RosterError } from '../../../src-shared/result';
import { objectGuidFor, startSlapd, type SlapdServer } from '../../../e2e/fixtures/slapd';
import { guidToString } from '../ldap/guid';
import { SessionSecretStore } from '../secrets/secret-store';
import { openServices, type Services } from '../services';

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
  services.realms.create(realmFromPreset(kind, { name: kind, urls: [server.url], bindDn: server.readerDn, baseDn: server.baseDn }), server.readerPassword);

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
      realmFromPreset('openldap', { name: 'openldap', urls: [openldap.url], bindDn: openldap.readerDn, baseDn: openldap.baseDn }),
      undefined,
      true,
    );
    const missing = await failure(services.conversion.findInRealm(user.id, realm.id));
    expect(missing).toMatchObject({
      code: 'password-required',
      message: 'The bind password for realm "openldap" is not saved; enter it to search the directory.',
    });
    const wrong = await failure(services.conversion.findInRealm(user.id, realm.id, 'wrong'));
    expect(wrong.code).toBe('invalid-credentials');
  });
});
