import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { objectGuidFor, startSlapd, type LdifEntry, type SlapdServer } from '../../../e2e/fixtures/slapd';
import { keywordFilter } from './filter';
import { guidToString } from './guid';
import { searchAll, searchPages } from './search';
import { withSession, type LdapTarget } from './session';

const targetOf = (server: SlapdServer): LdapTarget => ({
  urls: [server.url],
  tls: 'none',
  verifyCertificate: true,
  bindDn: server.readerDn,
  connectTimeoutMs: 3_000,
  operationTimeoutMs: 30_000,
});

describe('paged search on the AD-like slapd (MaxPageSize 1000)', () => {
  let ad: SlapdServer;
  beforeAll(async () => {
    ad = await startSlapd({ flavor: 'ad', users: 2_500 });
  });
  afterAll(async () => ad?.stop());

  it('returns all 2,500 users in pages of at most 1000', async () => {
    const pageSizes: number[] = [];
    const names = new Set<string>();
    await withSession(targetOf(ad), ad.readerPassword, async (session) => {
      for await (const page of searchPages(session, {
        baseDn: ad.baseDn,
        filter: '(&(objectCategory=person)(objectClass=user))',
        scope: 'sub',
        attributes: ['sAMAccountName'],
        pageSize: 1000,
      })) {
        pageSizes.push(page.length);
        for (const entry of page) names.add(entry.text.samaccountname?.[0] ?? '');
      }
    });
    expect(pageSizes).toEqual([1000, 1000, 500]);
    expect(names.size).toBe(2_500);
  });

  it('clamps a page size above 1000 instead of tripping the server limit', async () => {
    const entries = await withSession(targetOf(ad), ad.readerPassword, (session) =>
      searchAll(session, { baseDn: ad.baseDn, filter: '(objectClass=user)', scope: 'sub', attributes: ['1.1'], pageSize: 5_000 }),
    );
    expect(entries).toHaveLength(2_500);
  });

  it('stops a paged search when its AbortSignal fires and reports it as cancelled', async () => {
    const controller = new AbortController();
    let pages = 0;
    const run = withSession(targetOf(ad), ad.readerPassword, async (session) => {
      for await (const _page of searchPages(session, {
        baseDn: ad.baseDn,
        filter: '(objectClass=user)',
        scope: 'sub',
        attributes: ['cn'],
        pageSize: 100,
        signal: controller.signal,
      })) {
        pages += 1;
        if (pages === 2) controller.abort();
      }
    });
    await expect(run).rejects.toMatchObject({ code: 'cancelled', message: 'Cancelled.' });
    expect(pages).toBe(2);
  });

  it('returns objectGUID as bytes that decode to the canonical GUID', async () => {
    const [entry] = await withSession(targetOf(ad), ad.readerPassword, (session) =>
      searchAll(session, { baseDn: ad.baseDn, filter: '(sAMAccountName=zangstrom)', scope: 'sub', attributes: ['objectGUID', 'displayName'], pageSize: 10 }),
    );
    const bytes = entry?.binary.objectguid?.[0];
    expect(bytes?.equals(objectGuidFor(1))).toBe(true);
    expect(guidToString(bytes!)).toBe(guidToString(objectGuidFor(1)));
    expect(entry?.text.displayname).toEqual(['Zoë Ångström']);
  });
});

describe('keyword search escaping on OpenLDAP', () => {
  let ldap: SlapdServer;
  const special = (cn: string, description: string): LdifEntry => ({
    dn: `uid=${description},ou=people,dc=example,dc=org`,
    attributes: { objectClass: ['inetOrgPerson'], uid: description, cn, sn: 'Special', mail: `${description}@example.org` },
  });
  // uids avoid the letters of the keywords: slapd's IA5String substring matching (uid, mail) stops an
  // assertion at NUL, so "f\0g" would also match a uid containing "f". cn (directoryString) matches exactly.
  beforeAll(async () => {
    ldap = await startSlapd({
      flavor: 'openldap',
      users: 10,
      extraEntries: [
        special('Special a*b', 'kw-star'),
        special('Special ab', 'kw-star-decoy'),
        special('Special (c)', 'kw-parens'),
        special('Special c', 'kw-parens-decoy'),
        special('Special d\\e', 'kw-backslash'),
        special('Special de', 'kw-backslash-decoy'),
        special('Special f\0g', 'kw-nul'),
        special('Special fg', 'kw-nul-decoy'),
        special('Special x*(y)\\z\0w', 'kw-all'),
      ],
    });
  });
  afterAll(async () => ldap?.stop());

  const find = (keyword: string) =>
    withSession(targetOf(ldap), ldap.readerPassword, async (session) => {
      const entries = await searchAll(session, {
        baseDn: ldap.baseDn,
        filter: keywordFilter('(objectClass=inetOrgPerson)', keyword, ['uid', 'cn', 'mail']),
        scope: 'sub',
        attributes: ['uid', 'cn'],
        pageSize: 100,
      });
      return entries.map((e) => e.text.uid?.[0]).sort();
    });

  it.each([
    ['a*b', ['kw-star']],
    ['(c)', ['kw-parens']],
    ['d\\e', ['kw-backslash']],
    ['f\0g', ['kw-nul']],
    ['x*(y)\\z\0w', ['kw-all']],
  ])('finds exactly the entries containing %j', async (keyword, expected) => {
    expect(await find(keyword)).toEqual(expected);
  });

  it('reads values with special characters back byte-exact', async () => {
    const [entry] = await withSession(targetOf(ldap), ldap.readerPassword, (session) =>
      searchAll(session, { baseDn: ldap.baseDn, filter: '(uid=kw-all)', scope: 'sub', attributes: ['cn'], pageSize: 10 }),
    );
    expect(entry?.text.cn).toEqual(['Special x*(y)\\z\0w']);
  });

  it('finds the non-ASCII user by a non-ASCII keyword and returns the name unchanged', async () => {
    const entries = await withSession(targetOf(ldap), ldap.readerPassword, (session) =>
      searchAll(session, {
        baseDn: ldap.baseDn,
        filter: keywordFilter('(objectClass=inetOrgPerson)', 'Ångst', ['cn']),
        scope: 'sub',
        attributes: ['cn', 'givenName', 'sn', 'entryUUID'],
        pageSize: 10,
      }),
    );
    expect(entries.map((e) => [e.text.cn, e.text.givenname, e.text.sn])).toEqual([[['Zoë Ångström'], ['Zoë'], ['Ångström']]]);
    expect(entries[0]?.text.entryuuid?.[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });
});
