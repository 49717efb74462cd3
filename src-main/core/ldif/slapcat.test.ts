import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { objectGuidFor, startSlapd, type SlapdFlavor, type SlapdServer } from '../../../e2e/fixtures/slapd';
import type { RealmRecord } from '#shared/model/realm';
import { realmFromPreset } from '#shared/model/realm-presets';
import { guidToString } from '../ldap/guid';
import { searchAll } from '../ldap/search';
import { withSession } from '../ldap/session';
import { compileFilter } from './filter-match';
import { openLdifSource } from './ldif-source';
import { parseLdif } from './parse';

const run = promisify(execFile);

// Real exports, not what our own fixture writes: slapcat dumps the database with its operational attributes.
describe.each<SlapdFlavor>(['openldap', 'ad'])('a slapcat export of the %s test directory', (flavor) => {
  let server: SlapdServer;
  let ldif: string;
  beforeAll(async () => {
    server = await startSlapd({ flavor, users: 50 });
    ({ stdout: ldif } = await run('/usr/sbin/slapcat', ['-f', join(server.dir, 'slapd.conf')], { maxBuffer: 64 << 20 }));
  });
  afterAll(async () => server?.stop());

  it('parses with every entry, its entryUUID and operational attributes', () => {
    const { entries, skipped, warnings } = parseLdif(ldif, 'slapcat');
    expect({ skipped, warnings }).toEqual({ skipped: 0, warnings: [] });
    // The suffix, the people OU, the reader and the 50 users.
    expect(entries).toHaveLength(53);
    for (const entry of entries) {
      expect(entry.text.entryuuid?.[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      for (const attribute of ['structuralobjectclass', 'entrycsn', 'createtimestamp', 'modifytimestamp', 'creatorsname']) expect(entry.text[attribute]).toHaveLength(1);
    }
    const users = entries.filter(compileFilter(flavor === 'ad' ? '(objectClass=user)' : '(objectClass=inetOrgPerson)'));
    expect(users).toHaveLength(50);
    expect(users[0]?.text.cn).toEqual(['Zoë Ångström']);
    if (flavor === 'ad') {
      expect(users[0]?.binary.objectguid).toEqual([objectGuidFor(1)]);
      expect(users.every((u) => u.binary.objectsid?.[0]?.length === 28)).toBe(true);
    }
  });

  it('finds the same entries by id as the live directory', async () => {
    const idAttribute = flavor === 'ad' ? 'objectGUID' : 'entryUUID';
    const live = await withSession(
      { urls: [server.url], tls: 'none', verifyCertificate: true, bindDn: server.readerDn, connectTimeoutMs: 3_000, operationTimeoutMs: 30_000 },
      server.readerPassword,
      (session) => searchAll(session, { baseDn: server.baseDn, filter: '(|(uid=zangstrom)(sAMAccountName=zangstrom))', scope: 'sub', attributes: [idAttribute], pageSize: 100 }),
    );
    const entry = live[0];
    const id = flavor === 'ad' ? guidToString(entry!.binary.objectguid![0]!) : entry!.text.entryuuid![0]!;

    const path = join(server.dir, 'export.ldif');
    await writeFile(path, ldif);
    const base = realmFromPreset(flavor === 'ad' ? 'ldif-file' : 'openldap', { name: 'slapcat', urls: [], bindDn: '', baseDn: server.baseDn });
    const realm: RealmRecord = { ...base, kind: 'ldif-file', id: 'r', order: 0, idAttribute, ldif: { path } };
    const source = await openLdifSource(realm);
    expect((await source.findById(id)).map((e) => e.dn)).toEqual([entry!.dn]);
    let count = 0;
    for await (const page of source.search(realm.search.userFilter)) count += page.length;
    expect(count).toBe(50);
  });
});
