// An offline Active Directory export shaped as ldifde writes it (e2e/fixtures/real-world/ad-corp-ldifde.ldf): the
// ldif-file realm detects the flavour and imports exactly the domain's normal user accounts — not the built-in
// accounts, trust accounts, computers, gMSAs, groups or contacts. (The live Samba DC against an ldapsearch export of
// it is in samba.test.ts, the one file that may start Samba.)
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withServices, type Caller } from '../../../e2e/fixtures/users';
import { realmFromPreset } from '#shared/model/realm-presets';
import { realmNotes } from '#shared/model/realm-status';
import type { UserRecord } from '#shared/model/user';
import type { Services } from '../services';

const FIXTURE = join(import.meta.dirname, '../../../e2e/fixtures/real-world/ad-corp-ldifde.ldf');

/** Per normal user account: Full name, enabled in the directory, expiry, and objectGUID as AD spells it. */
const PEOPLE: Record<string, { displayName: string; enabled: boolean; expiresAt?: string; guid: string }> = {
  // displayName; accountExpires 9223372036854775807 (never); logonHours:: all hours.
  alee: { displayName: 'Ann Lee', enabled: true, guid: '280fdb21-97dd-2abe-ee93-e8d2d53a6c24' },
  // No displayName: cn, with the comma the DN escapes. userAccountControl 66048; accountExpires 0 (never).
  crivera: { displayName: 'Rivera, Carlos', enabled: true, guid: '43cae1c6-ef51-f41f-97e6-6bf86dd2154f' },
  // 514: disabled. No displayName.
  dwhitfield: { displayName: 'Dana Whitfield', enabled: false, guid: '2232ffba-79ec-c398-05cd-25a194edc232' },
  // 66050: disabled, password never expires.
  eolsen: { displayName: 'Eric Olsen', enabled: false, guid: '9ba61085-28dc-be93-8f13-fe3e13d26be5' },
  // A real expiry (FILETIME 134588664000000000), logonHours:: weekdays 08-18.
  fzahra: { displayName: 'Fatima Zahra (Contractor)', enabled: true, expiresAt: '2027-06-30T22:00:00.000Z', guid: 'c49853f9-83da-22bb-3e89-6bb3e8cab750' },
  // DN, cn, sn and givenName in base64; no displayName.
  jgross: { displayName: 'Jürgen Groß', enabled: true, guid: '280dd6a6-e7df-57e7-1a2d-d99ad8ce1a34' },
  // 544 (PASSWD_NOTREQD): enabled. cn only: no displayName, givenName or sn.
  kiosk: { displayName: 'Kiosk Front Desk', enabled: true, guid: '09ab3f86-a592-fb8e-9816-17c77d6ca226' },
  // A service account is a normal user account to AD; nothing in the entry tells it apart.
  'svc-sql': { displayName: 'svc-sql', enabled: true, guid: '11b4e967-fafa-93e1-6b7d-2e647c055311' },
};
const USERNAMES = Object.keys(PEOPLE).sort();
// In the file and left out: built-in, trust, computer and managed service accounts, a group, a contact.
const LEFT_OUT = ['Administrator', 'Guest', 'krbtgt', 'CHILD$', 'PARTNER$', 'DC01$', 'WS-0042$', 'gmsa-web$', 'Domain Users'];

async function withStore<T>(body: (call: Caller, services: Services, dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'roster-ad-export-'));
  try {
    return await withServices(dir, (call, services) => body(call, services, dir));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function stored(call: Caller): Promise<UserRecord[]> {
  const page = await call('users:query', { query: {}, offset: 0, limit: 1000 });
  return Promise.all(page.rows.map(async (row) => (await call('users:get', { id: row.id })).user));
}

describe('an Active Directory export written by ldifde (e2e/fixtures/real-world/ad-corp-ldifde.ldf)', () => {
  it('is shaped as ldifde writes it: CRLF, changetype: add, folded lines, base64 binaries, every account kind', async () => {
    const text = await readFile(FIXTURE, 'latin1');
    const lines = text.split('\r\n');
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
    expect(lines.filter((l) => l.startsWith('dn')).length).toBe(USERNAMES.length + LEFT_OUT.length + 1);
    expect(lines.filter((l) => l === 'changetype: add').length).toBe(USERNAMES.length + LEFT_OUT.length + 1);
    for (const line of [
      'isCriticalSystemObject: TRUE',
      'sAMAccountType: 805306370',
      'userAccountControl: 2080',
      'sAMAccountType: 805306369',
      'objectClass: computer',
      'userAccountControl: 514',
      'userAccountControl: 66050',
      'accountExpires: 0',
      'accountExpires: 9223372036854775807',
      'logonHours:: ////////////////////////////',
      'objectGUID:: IdsPKN2Xviruk+jS1TpsJA==',
      'objectSid:: AQUAAAAAAAUVAAAAx/f+13x3VciUWs4BVAQAAA==',
      ' xample',
    ])
      expect(lines).toContain(line);
  });

  it('is detected as Active Directory, keyed by objectGUID, and imports exactly its normal user accounts', async () => {
    await withStore(async (call, services) => {
      const inspection = await call('realms:inspect-ldif', { path: FIXTURE });
      expect(inspection).toEqual({
        path: FIXTURE,
        flavour: 'active-directory',
        detected: 'active-directory',
        reason: 'CN=Administrator,CN=Users,DC=ad,DC=lab,DC=example has objectGUID, as Active Directory entries do',
        entries: USERNAMES.length + LEFT_OUT.length + 1,
        users: USERNAMES.length,
        idAttribute: 'objectGUID',
      });
      const input = realmFromPreset('ldif-file', { name: 'Corp offline', urls: [], bindDn: '', baseDn: '', ldifPath: FIXTURE, flavour: inspection.flavour });
      input.idAttribute = inspection.idAttribute;
      const realm = await call('realms:create', { realm: input });
      expect(realmNotes(realm)).toEqual(['Read as an Active Directory export.']);

      const search = await call('import:search', { realmId: realm.id, query: '*' });
      expect(search.total).toBe(USERNAMES.length);
      const rows = (await call('import:page', { searchId: search.searchId, offset: 0, limit: 100 })).rows;
      expect(rows.map((r) => r.username).sort()).toEqual(USERNAMES);
      expect(rows.filter((r) => !r.enabled).map((r) => r.username)).toEqual(['dwhitfield', 'eolsen']);
      const done = await services.jobs.wait((await call('import:run', { searchId: search.searchId })).id);
      expect(done.summary).toMatchObject({ created: USERNAMES.length, updated: 0, conflicts: 0, disabledUpstream: 2 });

      const users = await stored(call);
      expect(
        Object.fromEntries(
          users.map((u) => [
            u.username,
            {
              displayName: u.fields.displayName!,
              enabled: u.origin!.directoryEnabled,
              ...(u.origin!.expiresAt ? { expiresAt: u.origin!.expiresAt } : {}),
              guid: u.origin!.externalId,
            },
          ]),
        ),
      ).toEqual(PEOPLE);
      for (const name of LEFT_OUT) expect((await call('import:search', { realmId: realm.id, query: name })).total).toBe(0);
      const carlos = users.find((u) => u.username === 'crivera')!;
      expect(carlos.fields).toEqual({
        displayName: 'Rivera, Carlos',
        givenName: 'Carlos',
        surname: 'Rivera',
        email: 'carlos.rivera@lab.example',
        department: 'Sales',
      });
      expect(carlos.origin).toMatchObject({ dn: 'CN=Rivera\\, Carlos,OU=Staff,DC=ad,DC=lab,DC=example', userPrincipalName: 'crivera@ad.lab.example' });
      expect(users.find((u) => u.username === 'jgross')!.origin!.dn).toBe('CN=Jürgen Groß,OU=Staff,DC=ad,DC=lab,DC=example');

      // A reconcile against the same file changes nothing.
      const reconciled = await services.jobs.wait((await call('realms:reconcile', { realmId: realm.id })).id);
      expect(reconciled.summary).toMatchObject({
        matched: USERNAMES.length,
        updated: 0,
        unchanged: USERNAMES.length,
        conflicts: 0,
        notFound: 0,
        disabledUpstream: 2,
      });
    });
  });
});
