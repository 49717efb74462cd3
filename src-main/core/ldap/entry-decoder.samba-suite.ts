import { randomBytes } from 'node:crypto';
import { Attribute, Change, type Entry } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSambaAd, type SambaAd } from '../../../e2e/fixtures/samba';
import { DecodedEntry } from './entry-decoder';
import { BINARY_ATTRIBUTES, normaliseEntry, searchAll, type LdapEntry, type SearchRequest } from './search';
import { withSession, type LdapSession } from './session';

const BOM = '\uFEFF';
const photo = randomBytes(60_000);
// logonHours is an octet string Roster reads as text: 21 bytes, most of them not UTF-8.
const hours = Buffer.from(Array.from({ length: 21 }, (_, i) => (i * 37 + 0x80) & 0xff));

/**
 * The entry decoder against a real Active Directory (Samba's AD DC): binary attributes, an octet string read as
 * text, a 60 kB thumbnailPhoto spanning TCP chunks, multi-valued and BOM-prefixed values, all equal to what ldapts'
 * own decoding gave. Registered by samba.test.ts (only that file may start Samba: its ports are fixed).
 */
export function describeEntryDecoderAgainstSamba(skip: boolean, skipNote: string): void {
  describe.skipIf(skip)(`Entry decoder against Samba's AD DC${skipNote}`, () => {
    let samba: SambaAd;
    beforeAll(async () => {
      samba = await startSambaAd({ users: 40 });
      const dn = await samba.dnOf('user00002');
      await samba.modify(dn, { description: `${BOM}marked`, otherTelephone: ['+1 555 0100', '+1 555 0101', '+1 555 0102'], info: 'Zoë 🙂 Ångström' });
      await samba.withAdmin((client) =>
        client.modify(dn, [
          new Change({ operation: 'replace', modification: new Attribute({ type: 'thumbnailPhoto', values: [photo] }) }),
          new Change({ operation: 'replace', modification: new Attribute({ type: 'logonHours', values: [hours] }) }),
        ]),
      );
    }, 180_000);
    afterAll(async () => {
      await samba?.stop();
    }, 60_000);

    const request = (): SearchRequest => ({
      baseDn: samba.baseDn,
      filter: '(&(objectCategory=person)(objectClass=user))',
      scope: 'sub',
      attributes: [
        'sAMAccountName',
        'displayName',
        'description',
        'info',
        'otherTelephone',
        'logonHours',
        'objectGUID',
        'objectSid',
        'thumbnailPhoto',
        'userAccountControl',
        'accountExpires',
        'memberOf',
        'mail',
      ],
      pageSize: 10,
    });

    /** The same search through ldapts' own decoding and normaliseEntry (not marked for the decoder). */
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
        for (const entry of page.searchEntries as Entry[]) out.push(normaliseEntry(entry));
      }
      return out;
    }

    it('reads every user, over pages of 10, exactly as ldapts did', async () => {
      const plain = (e: LdapEntry): LdapEntry => ({ dn: e.dn, text: { ...e.text }, binary: { ...e.binary } });
      const target = {
        urls: [samba.url],
        tls: 'none' as const,
        verifyCertificate: true,
        bindDn: samba.readerDn,
        connectTimeoutMs: 5_000,
        operationTimeoutMs: 30_000,
      };
      const [decoded, reference] = await withSession(target, samba.readerPassword, async (session) => [
        await searchAll(session, request()),
        await throughLdapts(session, request()),
      ]);
      expect(decoded.length).toBeGreaterThanOrEqual(40);
      for (const entry of decoded) expect(entry).toBeInstanceOf(DecodedEntry);
      const byName = (list: LdapEntry[]) => [...list].sort((a, b) => a.dn.localeCompare(b.dn)).map(plain);
      expect(byName(decoded)).toEqual(byName(reference));

      const marked = decoded.find((e) => e.text.samaccountname?.[0] === 'user00002')!;
      expect(marked.binary.thumbnailphoto?.[0]?.equals(photo)).toBe(true);
      expect(marked.binary.objectguid?.[0]).toHaveLength(16);
      expect(marked.binary.objectsid?.[0]?.[0]).toBe(1);
      expect(marked.text.logonhours).toEqual([hours.toString('utf8')]);
      expect(marked.text.description).toEqual(['marked']);
      expect(marked.text.info).toEqual(['Zoë 🙂 Ångström']);
      expect([...(marked.text.othertelephone ?? [])].sort()).toEqual(['+1 555 0100', '+1 555 0101', '+1 555 0102']);
      expect(marked.text.mail).toBeDefined();
    });
  });
}
