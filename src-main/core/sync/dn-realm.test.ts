import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Channel, ChannelInput, ChannelOutput } from '#shared/ipc/contract';
import { realmFromPreset } from '#shared/model/realm-presets';
import { createHandlers, dispatch, type HandlerTable } from '../../handlers';
import { SessionSecretStore } from '../secrets/secret-store';
import { openServices, type Services } from '../services';

// An ldapsearch dump without '+': no entryUUID, so the realm matches users by DN.
const DUMP = ['alice', 'bob']
  .map(
    (uid) =>
      `dn: uid=${uid},ou=People,dc=example,dc=org\nobjectClass: inetOrgPerson\nuid: ${uid}\ncn: ${uid.toUpperCase()}\nsn: ${uid}\nmail: ${uid}@example.org\n`,
  )
  .join('\n');

let dir: string;
let services: Services;
let table: HandlerTable;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'roster-dn-realm-'));
  services = await openServices({ dataDir: join(dir, 'data'), owner: 'test', transport: 'cli', secrets: new SessionSecretStore('t'), version: 't' });
  table = createHandlers(services);
});
afterEach(async () => {
  await services.close();
  await rm(dir, { recursive: true, force: true });
});

async function call<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
  const result = await dispatch(table, channel, input);
  if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code });
  return result.value as ChannelOutput<C>;
}

describe('a realm matched by DN', () => {
  it('never links one directory entry to two users through the Resynchronize dialog', async () => {
    const file = join(dir, 'people.ldif');
    await writeFile(file, DUMP);
    const seen = await call('realms:inspect-ldif', { path: file });
    expect(seen.idAttribute).toBe('dn');
    const realm = await call('realms:create', {
      realm: {
        ...realmFromPreset('ldif-file', { name: 'Dump', urls: [], bindDn: '', baseDn: '', ldifPath: file, flavour: 'openldap' }),
        idAttribute: seen.idAttribute,
      },
    });
    const search = await call('import:search', { realmId: realm.id, query: '*' });
    const done = await services.jobs.wait((await call('import:run', { searchId: search.searchId })).id);
    expect(done.summary).toMatchObject({ created: 2 });
    const alice = services.users.resolve('alice');
    const bobDn = 'uid=bob,ou=People,dc=example,dc=org';
    await expect(call('sync:apply', { userId: alice.id, realmId: realm.id, dn: bobDn, choices: {} })).rejects.toMatchObject({
      code: 'conflict',
      message: `${bobDn} is already linked to the user bob; one directory entry cannot be two users.`,
    });
    expect(services.users.resolve('alice').origin).toMatchObject({ dn: 'uid=alice,ou=People,dc=example,dc=org', externalId: '' });
    expect(services.users.resolve('alice').fields.email).toBe('alice@example.org');
  });
});
