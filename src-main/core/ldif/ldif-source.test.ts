import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { objectGuidFor, toLdif, type LdifEntry } from '../../../e2e/fixtures/ldif';
import type { RealmRecord } from '#shared/model/realm';
import { realmFromPreset } from '#shared/model/realm-presets';
import { RosterError } from '#shared/result';
import { guidToString } from '../ldap/guid';
import type { LdapEntry } from '../ldap/search';
import { inScope } from './ldif-directory';
import { clearLdifCache, openLdifSource } from './ldif-source';

const UUID_ALICE = '0b6a1f2e-7d33-103e-8a3c-8f7f5c1b2a01';
const person = (dn: string, uid: string, extra: LdifEntry['attributes'] = {}): LdifEntry => ({
  dn,
  attributes: { objectClass: ['top', 'person', 'organizationalPerson', 'inetOrgPerson'], uid, cn: uid, sn: uid, ...extra },
});
const ENTRIES: LdifEntry[] = [
  { dn: 'dc=example,dc=org', attributes: { objectClass: ['top', 'domain'], dc: 'example' } },
  { dn: 'ou=people,dc=example,dc=org', attributes: { objectClass: ['top', 'organizationalUnit'], ou: 'people' } },
  person('uid=alice,ou=people,dc=example,dc=org', 'alice', { entryUUID: UUID_ALICE, mail: 'alice@example.org' }),
  person('uid=bob,ou=people,dc=example,dc=org', 'bob', { entryUUID: '0b6a1f2e-7d33-103e-8a3c-8f7f5c1b2a02' }),
  person('cn=Adams\\, Carol,ou=people,dc=example,dc=org', 'carol', { objectClass: ['top', 'person', 'user'], objectGUID: objectGuidFor(7) }),
  { dn: 'ou=contractors,ou=people,dc=example,dc=org', attributes: { objectClass: ['top', 'organizationalUnit'], ou: 'contractors' } },
  person('uid=dave,ou=contractors,ou=people,dc=example,dc=org', 'dave', { entryUUID: '0b6a1f2e-7d33-103e-8a3c-8f7f5c1b2a04' }),
  person('uid=erin,ou=xpeople,dc=example,dc=org', 'erin'),
  person('uid=frank,dc=other,dc=org', 'frank', { entryUUID: '0b6a1f2e-7d33-103e-8a3c-8f7f5c1b2a06' }),
];

let dir: string;
let file: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'roster-ldif-source-'));
  file = join(dir, 'export.ldif');
  await writeFile(file, toLdif(ENTRIES));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));
beforeEach(() => clearLdifCache());

function realm(search: Partial<RealmRecord['search']> = {}, idAttribute = 'entryUUID', path = file): RealmRecord {
  const base = realmFromPreset('ldif-file', { name: 'Offline', urls: [], bindDn: '', baseDn: '' });
  return { ...base, id: 'r1', order: 0, idAttribute, ldif: { path }, search: { ...base.search, userFilter: '(objectClass=*)', ...search } };
}

async function pages(source: { search(f: string, s?: AbortSignal): AsyncIterable<LdapEntry[]> }, filter = '(objectClass=*)', signal?: AbortSignal): Promise<string[][]> {
  const out: string[][] = [];
  for await (const page of source.search(filter, signal)) out.push(page.map((e) => e.dn));
  return out;
}
const names = async (search: Partial<RealmRecord['search']>, filter = '(objectClass=person)') => (await pages(await openLdifSource(realm(search)), filter)).flat();

describe('openLdifSource', () => {
  it('searches everything when the base DN is empty', async () => {
    expect(await names({ baseDn: '' })).toEqual(ENTRIES.filter((e) => e.attributes.sn).map((e) => e.dn));
  });

  it('keeps to the base DN (any spelling) and scope: sub takes the whole subtree, one only direct children', async () => {
    const people = ['uid=alice,ou=people,dc=example,dc=org', 'uid=bob,ou=people,dc=example,dc=org', 'cn=Adams\\, Carol,ou=people,dc=example,dc=org'];
    expect(await names({ baseDn: 'OU=People, DC=Example, DC=Org', scope: 'sub' })).toEqual([...people, 'uid=dave,ou=contractors,ou=people,dc=example,dc=org']);
    expect(await names({ baseDn: 'ou=people,dc=example,dc=org', scope: 'one' })).toEqual(people);
    expect(await names({ baseDn: 'ou=people,dc=example,dc=org', scope: 'sub' }, '(objectClass=organizationalUnit)')).toEqual([
      'ou=people,dc=example,dc=org',
      'ou=contractors,ou=people,dc=example,dc=org',
    ]);
    expect(await names({ baseDn: 'ou=people,dc=example,dc=org', scope: 'one' }, '(objectClass=organizationalUnit)')).toEqual(['ou=contractors,ou=people,dc=example,dc=org']);
    expect(await names({ baseDn: 'dc=nowhere' })).toEqual([]);
  });

  it('cuts base DNs on RDN boundaries only', () => {
    expect(inScope('uid=erin,xou=people,dc=org', 'ou=people,dc=org', 'sub')).toBe(false);
    expect(inScope('ou=people,dc=org', 'ou=people,dc=org', 'sub')).toBe(true);
    expect(inScope('ou=people,dc=org', 'ou=people,dc=org', 'one')).toBe(false);
    expect(inScope('cn=a\\2cou=people,dc=org', 'ou=people,dc=org', 'one')).toBe(false);
    expect(inScope('cn=a,ou=people,dc=org', 'ou=people,dc=org', 'one')).toBe(true);
    expect(inScope('cn=a,cn=b,ou=people,dc=org', 'ou=people,dc=org', 'one')).toBe(false);
  });

  it('yields pages of the realm page size', async () => {
    const sizes = async (pageSize: number) => (await pages(await openLdifSource(realm({ pageSize })), '(objectClass=person)')).map((p) => p.length);
    expect(await sizes(2)).toEqual([2, 2, 2]);
    expect(await sizes(4)).toEqual([4, 2]);
    expect(await sizes(500)).toEqual([6]);
    expect(await names({}, '(uid=nobody)')).toEqual([]);
  });

  it('stops between pages when cancelled', async () => {
    const source = await openLdifSource(realm({ pageSize: 2 }));
    const controller = new AbortController();
    const seen: number[] = [];
    const run = async () => {
      for await (const page of source.search('(objectClass=person)', controller.signal)) {
        seen.push(page.length);
        controller.abort();
      }
    };
    await expect(run()).rejects.toMatchObject({ code: 'cancelled' });
    expect(seen).toEqual([2]);
    await expect(pages(source, '(objectClass=*)', AbortSignal.abort())).rejects.toBeInstanceOf(RosterError);
  });

  it('refuses an invalid filter when the search starts', async () => {
    const source = await openLdifSource(realm());
    await expect(pages(source, '(&(cn=a)')).rejects.toMatchObject({ code: 'invalid-filter' });
  });

  it('reads one entry by DN in any spelling', async () => {
    const source = await openLdifSource(realm({ baseDn: 'ou=people,dc=example,dc=org' }));
    expect((await source.readDn('CN=adams\\2C carol, OU=People,DC=example,DC=org'))?.text.uid).toEqual(['carol']);
    expect(await source.readDn('uid=nobody,dc=example,dc=org')).toBeUndefined();
  });

  it('finds entries by entryUUID (any case) within the base DN', async () => {
    const source = await openLdifSource(realm({ baseDn: 'dc=example,dc=org' }));
    expect((await source.findById(UUID_ALICE.toUpperCase())).map((e) => e.dn)).toEqual(['uid=alice,ou=people,dc=example,dc=org']);
    expect(await source.findById('0b6a1f2e-7d33-103e-8a3c-8f7f5c1b2a06')).toEqual([]);
    expect(await source.findById('no-such-id')).toEqual([]);
  });

  it('finds entries by objectGUID written as the canonical string, in any case and with braces', async () => {
    const source = await openLdifSource(realm({}, 'objectGUID'));
    const guid = guidToString(objectGuidFor(7));
    for (const id of [guid, guid.toUpperCase(), `{${guid}}`]) {
      const found = await source.findById(id);
      expect(found.map((e) => e.dn)).toEqual(['cn=Adams\\, Carol,ou=people,dc=example,dc=org']);
      expect(found[0]?.binary.objectguid?.[0]?.equals(objectGuidFor(7))).toBe(true);
    }
    expect(await source.findById(guidToString(objectGuidFor(8)))).toEqual([]);
    await expect(source.findById('carol')).rejects.toMatchObject({ code: 'invalid-input', message: '"carol" is not a GUID; it cannot be looked up as objectGUID.' });
  });

  it('carries only the requested attributes when given, and hands out copies', async () => {
    const source = await openLdifSource(realm(), ['UID', 'mail', 'objectGUID']);
    const [alice] = await source.findById(UUID_ALICE);
    expect(alice).toEqual({ dn: 'uid=alice,ou=people,dc=example,dc=org', text: { uid: ['alice'], mail: ['alice@example.org'] }, binary: {} });
    alice!.text.uid!.push('changed');
    expect((await source.findById(UUID_ALICE))[0]?.text.uid).toEqual(['alice']);
  });

  it('parses a file once per version (path, mtime, size)', async () => {
    const path = join(dir, 'cached.ldif');
    await writeFile(path, toLdif([person('uid=aaaa,dc=x', 'aaaa')]));
    const mtime = new Date('2024-05-01T10:00:00Z');
    await utimes(path, mtime, mtime);
    const uid = async () => (await (await openLdifSource(realm({}, 'entryUUID', path))).readDn('uid=aaaa,dc=x'))?.text.cn;
    expect(await uid()).toEqual(['aaaa']);
    // Same size and mtime: the cached parse answers, so the new content is not seen...
    await writeFile(path, toLdif([person('uid=aaaa,dc=x', 'aaaa', { cn: 'bbbb' })]));
    await utimes(path, mtime, mtime);
    expect(await uid()).toEqual(['aaaa']);
    // ...until the file is really touched.
    await utimes(path, mtime, new Date(mtime.getTime() + 5_000));
    expect(await uid()).toEqual(['bbbb']);
  });

  it('says which file of which realm cannot be read, and what to do', async () => {
    const missing = join(dir, 'missing.ldif');
    await expect(openLdifSource(realm({}, 'entryUUID', missing))).rejects.toMatchObject({
      code: 'not-found',
      message: `The LDIF file ${missing} of realm "Offline" cannot be read: it does not exist. Choose the file again in the realm settings.`,
    });
    await expect(openLdifSource(realm({}, 'entryUUID', dir))).rejects.toMatchObject({ code: 'not-found', message: expect.stringContaining('cannot be read: it is a folder.') });
    // A pipe would be read for ever, a device without end: neither is opened.
    const fifo = join(dir, 'pipe.ldif');
    execFileSync('mkfifo', [fifo]);
    for (const path of [fifo, '/dev/zero']) {
      await expect(openLdifSource(realm({}, 'entryUUID', path))).rejects.toMatchObject({
        code: 'not-found',
        message: expect.stringContaining('cannot be read: it is not a regular file (a device, a pipe or a socket).'),
      });
    }
  });

  it('reports a malformed file with its path and line', async () => {
    const path = join(dir, 'broken.ldif');
    await writeFile(path, 'dn: cn=a,dc=x\ncn a\n');
    await expect(openLdifSource(realm({}, 'entryUUID', path))).rejects.toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/^The LDIF file .*broken\.ldif line 2: "cn a"/) });
  });

  it('passes on what parsing left out', async () => {
    const path = join(dir, 'warnings.ldif');
    await writeFile(path, 'dn: cn=a,dc=x\njpegPhoto:< file:///etc/passwd\n\ndn: cn=b,dc=x\nchangetype: delete\n');
    const source = await openLdifSource(realm({}, 'entryUUID', path));
    expect(source.skipped).toBe(1);
    expect(source.warnings).toEqual([expect.stringContaining('line 2: the value of jpegPhoto refers to file:///etc/passwd')]);
    await source.close();
  });
});
