import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { Entry } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { objectGuidFor, startSlapd, type LdifEntry, type SlapdServer } from '../../../e2e/fixtures/slapd';
import { DecodedEntry } from './entry-decoder';
import { BINARY_ATTRIBUTES, normaliseEntry, searchAll, type LdapEntry, type SearchRequest } from './search';
import { withSession, type LdapSession, type LdapTarget } from './session';

const targetOf = (url: string, bindDn = ''): LdapTarget => ({
  urls: [url],
  tls: 'none',
  verifyCertificate: true,
  bindDn,
  connectTimeoutMs: 3_000,
  operationTimeoutMs: 30_000,
});

const BOM = '\uFEFF';
const photo = randomBytes(300_000);
// Not UTF-8: a lone continuation byte, an overlong slash, and a UTF-8-encoded surrogate half.
const notUtf8 = Buffer.from([0x41, 0x80, 0x42, 0xc0, 0xaf, 0xed, 0xa0, 0x80]);

/** Entries holding every kind of value the decoder must treat as ldapts did. */
const tricky: LdifEntry[] = [
  {
    dn: 'uid=tricky-bytes,ou=people,dc=example,dc=org',
    attributes: {
      objectClass: ['inetOrgPerson'],
      uid: 'tricky-bytes',
      sn: 'Bytes',
      cn: ['Tricky Bytes', 'Zoë 🙂 Ångström'],
      'cn;lang-es': 'Bytes Difíciles',
      'description;lang-fr': 'Données',
      description: 'null\0inside',
      // audio is octet-string syntax and not one of Roster's binary attributes: read as text.
      audio: notUtf8,
      jpegPhoto: photo,
    },
  },
  {
    dn: 'uid=tricky-bom,ou=people,dc=example,dc=org',
    attributes: {
      objectClass: ['inetOrgPerson'],
      uid: 'tricky-bom',
      sn: `${BOM}Bom`,
      cn: 'Tricky Bom',
      // One value not UTF-8: ldapts gave the whole attribute as bytes, so the mark stays on the other.
      audio: [Buffer.from(`${BOM}with mark`, 'utf8'), Buffer.from([0xff, 0x41])],
      title: '',
    },
  },
];

const request = (server: SlapdServer, attributes: string[], filter = '(objectClass=inetOrgPerson)'): SearchRequest => ({
  baseDn: server.baseDn,
  filter,
  scope: 'sub',
  attributes,
  pageSize: 1000,
});

/** The same search through ldapts' own decoding and normaliseEntry (a search not marked for the decoder). */
async function throughLdapts(session: LdapSession, r: SearchRequest): Promise<LdapEntry[]> {
  const binary = r.attributes.filter((a) => BINARY_ATTRIBUTES.some((b) => b.toLowerCase() === a.toLowerCase()));
  const out: LdapEntry[] = [];
  for await (const page of session.client.searchPaginated(r.baseDn, {
    filter: r.filter,
    scope: r.scope,
    attributes: r.attributes,
    explicitBufferAttributes: binary,
    paged: { pageSize: r.pageSize },
  })) {
    for (const entry of page.searchEntries as Entry[]) {
      expect(entry).not.toBeInstanceOf(DecodedEntry);
      out.push(normaliseEntry(entry));
    }
  }
  return out;
}

const plain = (e: LdapEntry): LdapEntry => ({ dn: e.dn, text: { ...e.text }, binary: { ...e.binary } });

/** Both ways, on one session: returns the decoder's entries after checking they equal ldapts' exactly. */
async function bothWays(server: SlapdServer, r: SearchRequest): Promise<LdapEntry[]> {
  return withSession(targetOf(server.url, server.readerDn), server.readerPassword, async (session) => {
    const decoded = await searchAll(session, r);
    const reference = await throughLdapts(session, r);
    for (const entry of decoded) expect(entry).toBeInstanceOf(DecodedEntry);
    expect(decoded.map(plain)).toEqual(reference.map(plain));
    expect(decoded.length).toBeGreaterThan(0);
    return decoded;
  });
}

describe('entry decoder on OpenLDAP: the same entries as ldapts gave', () => {
  let server: SlapdServer;
  beforeAll(async () => {
    server = await startSlapd({ flavor: 'openldap', users: 1_500, extraEntries: tricky });
  });
  afterAll(async () => server?.stop());

  it('reads non-UTF-8 text, language tags, emoji, NUL, empty values, a 300 kB photo and absent attributes as ldapts did', async () => {
    const attributes = ['uid', 'cn', 'sn', 'description', 'description;lang-fr', 'audio', 'jpegPhoto', 'title', 'mail', 'employeeNumber'];
    const entries = await bothWays(server, request(server, attributes, '(uid=tricky-*)'));
    const bytes = entries.find((e) => e.text.uid?.[0] === 'tricky-bytes')!;
    expect(bytes.text.cn).toEqual(['Tricky Bytes', 'Zoë 🙂 Ångström']);
    expect(bytes.text['cn;lang-es']).toEqual(['Bytes Difíciles']);
    expect(bytes.text['description;lang-fr']).toEqual(['Données']);
    expect(bytes.text.description).toEqual(['null\0inside']);
    expect(bytes.text.audio).toEqual([notUtf8.toString('utf8')]);
    expect(bytes.text.audio?.[0]).toContain('\uFFFD');
    expect(bytes.binary.jpegphoto?.[0]?.equals(photo)).toBe(true);
    // Asked for and absent: an empty list, as ldapts' toObject gave.
    expect(bytes.text.mail).toEqual([]);
    const bom = entries.find((e) => e.text.uid?.[0] === 'tricky-bom')!;
    expect(bom.text.sn).toEqual(['Bom']);
    expect(bom.text.audio).toEqual([`${BOM}with mark`, '\uFFFDA']);
    expect(bom.binary.jpegphoto).toEqual([]);
  });

  it('reads 1,500 generated users over two pages exactly as ldapts did', async () => {
    const entries = await bothWays(server, request(server, ['uid', 'cn', 'givenName', 'sn', 'displayName', 'mail', 'telephoneNumber', 'entryUUID']));
    expect(entries).toHaveLength(1_502);
  });
});

describe('entry decoder on the AD-like slapd', () => {
  let server: SlapdServer;
  beforeAll(async () => {
    server = await startSlapd({ flavor: 'ad', users: 2_200 });
  });
  afterAll(async () => server?.stop());

  it('keeps objectGUID and objectSid as bytes and the rest as text, over pages of 1000, exactly as ldapts did', async () => {
    const attributes = ['sAMAccountName', 'cn', 'displayName', 'objectGUID', 'objectSid', 'userAccountControl', 'accountExpires', 'thumbnailPhoto'];
    const entries = await bothWays(server, request(server, attributes, '(objectClass=user)'));
    expect(entries).toHaveLength(2_200);
    const first = entries.find((e) => e.text.samaccountname?.[0] === 'zangstrom')!;
    expect(first.binary.objectguid?.[0]?.equals(objectGuidFor(1))).toBe(true);
    expect(first.binary.objectsid?.[0]).toHaveLength(28);
    expect(first.text.displayname).toEqual(['Zoë Ångström']);
    expect(first.binary.thumbnailphoto).toEqual([]);
  });
});

/** BER: a tag, a definite length (short or long form) and the content. */
function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  const n = body.length;
  const length =
    n < 0x80
      ? Buffer.from([n])
      : n < 0x100
        ? Buffer.from([0x81, n])
        : n < 0x10000
          ? Buffer.from([0x82, n >> 8, n & 0xff])
          : Buffer.from([0x83, n >> 16, (n >> 8) & 0xff, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), length, body]);
}
const octets = (value: string | Buffer, tag = 0x04): Buffer => tlv(tag, typeof value === 'string' ? Buffer.from(value, 'utf8') : value);
const message = (id: number, op: Buffer): Buffer => tlv(0x30, tlv(0x02, Buffer.from([id])), op);
const attribute = (type: string, values: Buffer[]): Buffer => tlv(0x30, octets(type), tlv(0x31, ...values));
const entryMessage = (id: number, dn: string, attributes: Buffer[]): Buffer => message(id, tlv(0x64, octets(dn), tlv(0x30, ...attributes)));
const done = (id: number): Buffer => message(id, tlv(0x65, tlv(0x0a, Buffer.from([0])), octets(''), octets('')));

/**
 * A scripted LDAP server: binds succeed, and each search is answered with `answer(id)`, written `chunk` bytes at
 * a time (so messages arrive split anywhere, as TCP may deliver them).
 */
async function scriptedServer(answer: (id: number) => Buffer, chunk: number): Promise<{ url: string; server: Server }> {
  const server = createServer((socket: Socket) => {
    let buffer = Buffer.alloc(0);
    socket.on('data', (data: Buffer) => {
      buffer = Buffer.concat([buffer, data]);
      for (;;) {
        if (buffer.length < 2) break;
        const first = buffer[1] as number;
        const size = first < 0x80 ? 1 : 1 + (first & 0x7f);
        if (buffer.length < 1 + size) break;
        const length = first < 0x80 ? first : buffer.readUIntBE(2, first & 0x7f);
        if (buffer.length < 1 + size + length) break;
        const whole = buffer.subarray(0, 1 + size + length);
        buffer = buffer.subarray(whole.length);
        // messageID: INTEGER of one byte here (ldapts numbers from 1).
        const id = whole[1 + size + 2] as number;
        const op = whole[1 + size + 3] as number;
        if (op === 0x60) socket.write(message(id, tlv(0x61, tlv(0x0a, Buffer.from([0])), octets(''), octets(''))));
        else if (op === 0x63) {
          const bytes = answer(id);
          for (let at = 0; at < bytes.length; at += chunk) socket.write(bytes.subarray(at, at + chunk));
        } else if (op === 0x42) socket.end();
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `ldap://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('entry decoder on scripted bytes', () => {
  const servers: Server[] = [];
  afterAll(() => servers.forEach((s) => s.close()));

  const search = async (answer: (id: number) => Buffer, chunk: number, attributes: string[]) => {
    const { url, server } = await scriptedServer(answer, chunk);
    servers.push(server);
    return withSession(targetOf(url), undefined, (session) =>
      searchAll(session, { baseDn: 'dc=x', filter: '(objectClass=*)', scope: 'sub', attributes, pageSize: 10 }),
    );
  };

  it('frames messages arriving one byte at a time, and several in one chunk', async () => {
    const guid = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
    const answer = (id: number) =>
      Buffer.concat([
        entryMessage(id, 'cn=Zoë,dc=x', [attribute('cn', [octets('Zoë')]), attribute('objectGUID', [octets(guid)])]),
        entryMessage(id, 'cn=b,dc=x', [attribute('CN', [octets('b'), octets('B')]), attribute('objectGUID', [])]),
        done(id),
      ]);
    for (const chunk of [1, 7, 100_000]) {
      const entries = await search(answer, chunk, ['cn', 'objectGUID', 'mail']);
      expect(entries.map((e) => ({ ...e }))).toEqual([
        { dn: 'cn=Zoë,dc=x', text: { cn: ['Zoë'], mail: [] }, binary: { objectguid: [guid] } },
        { dn: 'cn=b,dc=x', text: { cn: ['b', 'B'], mail: [] }, binary: { objectguid: [] } },
      ]);
    }
  });

  it('fails the search, as ldapts does, when an entry is not well-formed BER', async () => {
    // A value tagged INTEGER where an OCTET STRING must be.
    const answer = (id: number) => Buffer.concat([entryMessage(id, 'cn=a,dc=x', [attribute('cn', [octets('a', 0x02)])]), done(id)]);
    await expect(search(answer, 1_000, ['cn'])).rejects.toThrow(/Expected 0x4: got 0x2/);
  });
});
