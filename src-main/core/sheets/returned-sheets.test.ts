import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedRealmUsers } from '../../../e2e/fixtures/users';
import type { SheetOptions, SheetRowResult } from '#shared/model/sheet';
import type { FieldValues, UserRecord } from '#shared/model/user';
import { SessionSecretStore } from '../secrets/secret-store';
import { openServices, type Services } from '../services';
import { writeUsersSnapshot } from '../users/user-store';
import { directoryIdOf } from './identity-cell';

/*
 * Sheets an AD owner sends back that Roster did not write: `Get-ADUser -Filter * -Properties … | Export-Csv
 * -NoTypeInformation` (PowerShell 7: every field quoted, $null as an empty unquoted field, LF, no BOM, US dates,
 * the ADUser object's bookkeeping columns at the end) and `csvde -f` (DN first, quoted only where a value has a
 * comma, objectGUID as hex bytes X'…', CRLF). Both are in ./fixtures, written for these users.
 */
const GET_ADUSER = join(__dirname, 'fixtures', 'get-aduser-export.csv');
const CSVDE = join(__dirname, 'fixtures', 'csvde-export.csv');

const AT = '2026-01-10T08:00:00.000Z';
const SMITH_DN = 'CN=Smith\\, John,OU=Sales,OU=Staff,DC=corp,DC=example';

/** Roster's copy of the directory, as the last sync left it (plus one internal user). */
const PEOPLE: { username: string; guid: string; dn: string; fields: FieldValues; directoryEnabled?: boolean }[] = [
  {
    username: 'zangstrom',
    guid: '3f2b6c1e-8a4d-4b7e-9c15-2d7e0a9b6f41',
    dn: 'CN=Zoë Ångström,OU=Research,OU=Staff,DC=corp,DC=example',
    fields: {
      displayName: 'Zoë Ångström',
      givenName: 'Zoë',
      surname: 'Ångström',
      email: 'zoe.angstrom@corp.example',
      department: 'Research',
      title: 'Scientist',
      phone: '+46 8 123 456 78',
      office: 'Stockholm 4.12',
      manager: SMITH_DN,
    },
  },
  {
    username: 'jsmith',
    guid: '6f1d2c3b-4a59-4e8f-9d0c-1b2a3c4d5e6f',
    dn: SMITH_DN,
    fields: {
      displayName: 'John Smith',
      givenName: 'John',
      surname: 'Smith',
      email: 'john.smith@corp.example',
      department: 'Sales',
      title: 'Account Manager',
      phone: '+1 (415) 555-0142',
      mobile: '+1 415 555 0199',
      company: 'Contoso Ltd.',
      employeeId: '004217',
    },
  },
  {
    username: 'sobrien',
    guid: '9b8e7d6c-5f4a-4b3c-8d2e-1f0a9b8c7d6e',
    dn: "CN=Sean O'Brien,OU=Finance,OU=Staff,DC=corp,DC=example",
    fields: {
      displayName: "Sean O'Brien",
      givenName: 'Sean',
      surname: "O'Brien",
      email: 'sean.obrien@corp.example',
      department: 'Finance',
      title: 'Controller',
    },
  },
  {
    username: 'tnguyen',
    guid: '2c4e6a8b-0d1f-4a3c-9e5b-7d9f1b3d5f7a',
    dn: 'CN=Thi Nguyen,OU=Former,DC=corp,DC=example',
    fields: { displayName: 'Thi Nguyen', givenName: 'Thi', surname: 'Nguyen', email: 'thi.nguyen@corp.example', department: 'Support', title: 'Analyst' },
    directoryEnabled: false,
  },
  {
    username: 'mgarcia',
    guid: '5a7c9e1b-3d5f-4b7d-8f1a-3c5e7a9b1d3f',
    dn: 'CN=Maria Garcia,OU=Finance,OU=Staff,DC=corp,DC=example',
    fields: {
      displayName: 'Maria Garcia',
      givenName: 'Maria',
      surname: 'Garcia',
      email: 'maria.garcia@corp.example',
      department: 'Finance',
      title: 'Accountant',
    },
  },
];

let dir: string;
let services: Services;
let stored: UserRecord[];
let clock = Date.parse('2026-02-06T10:00:00Z');
const now = () => new Date((clock += 1000));

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'roster-returned-'));
  // The AD realm as sheet-service.test.ts makes one, then these users in place of the synthetic ones.
  const { realmId } = await seedRealmUsers(dir, 0, { kind: 'active-directory' });
  stored = [
    ...PEOPLE.map((p, i): UserRecord => ({
      id: `ad${i + 1}`,
      username: p.username,
      kind: 'external',
      enabled: true,
      roles: [],
      fields: p.fields,
      createdAt: AT,
      updatedAt: AT,
      origin: {
        realmId,
        externalId: p.guid,
        dn: p.dn,
        syncedAt: AT,
        base: p.fields,
        baseUsername: p.username,
        directoryEnabled: p.directoryEnabled ?? true,
      },
    })),
    { id: 'in1', username: 'helpdesk', kind: 'internal', enabled: true, roles: [], fields: { displayName: 'Help Desk' }, createdAt: AT, updatedAt: AT },
  ];
  await writeUsersSnapshot(dir, stored);
  services = await openServices({
    dataDir: dir,
    owner: 'test',
    transport: 'cli',
    secrets: new SessionSecretStore('test'),
    version: 'test',
    actor: 'alice',
    now,
  });
});
afterEach(async () => {
  await services.close();
  await rm(dir, { recursive: true, force: true });
});

const byName = (username: string): UserRecord => stored.find((u) => u.username === username)!;
const current = (username: string): UserRecord => services.userStore.get(byName(username).id)!;

/** Every previewed row, as compared: its number, status, who it matched and how, changes and reasons. */
function rowsOf(sheetId: string): Partial<SheetRowResult>[] {
  return services.sheets.page(sheetId, 0, 100).rows.map((r) => ({
    row: r.row,
    status: r.status,
    username: r.username,
    matchedBy: r.matchedBy,
    changes: r.changes,
    reasons: r.reasons,
  }));
}

const LOCKED_GIVEN_NAME =
  'First name of sobrien is owned by the directory and read-only; change it in the directory, or make the field local in Settings → Fields.';
const noMatch = (guid: string, dn: string, username: string) => `No user matches (directoryId ${guid}, dn ${dn}, username ${username}).`;

describe('a Get-ADUser | Export-Csv -NoTypeInformation sheet', () => {
  it('has the shape PowerShell writes: no BOM, LF, every value quoted, $null empty and unquoted, US dates', async () => {
    const bytes = await readFile(GET_ADUSER);
    expect(bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false);
    const text = bytes.toString('utf8');
    expect(text).not.toContain('\r');
    const lines = text.split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(0, -1).every((line) => /^(?:"(?:[^"]|"")*"|)(?:,(?:"(?:[^"]|"")*"|))*$/.test(line))).toBe(true);
    expect(lines[1]).toMatch(/^,,"CN=Administrator,CN=Users,DC=corp,DC=example",,"True",,"1\/14\/2026 8:02:11 AM",/);
    expect(text).toContain('"1/15/2026 3:04:05 PM"');
  });

  it('maps its columns by AD attribute and PowerShell property name, and ignores the rest', async () => {
    const opened = await services.sheets.open(GET_ADUSER);
    expect(opened).toMatchObject({ rows: 9, source: 'comma-separated' });
    expect(Object.fromEntries(opened.columns.map((c) => [c.header, c.target]))).toEqual({
      Company: 'field:company',
      Department: 'field:department',
      DistinguishedName: 'dn',
      employeeID: 'field:employeeId',
      Enabled: 'ignore',
      GivenName: 'field:givenName',
      LastLogonDate: 'ignore',
      mail: 'field:email',
      Manager: 'field:manager',
      memberOf: 'ignore',
      mobile: 'field:mobile',
      Name: 'ignore',
      ObjectClass: 'ignore',
      ObjectGUID: 'directoryId',
      physicalDeliveryOfficeName: 'field:office',
      SamAccountName: 'username',
      SID: 'ignore',
      Surname: 'field:surname',
      telephoneNumber: 'field:phone',
      Title: 'field:title',
      UserPrincipalName: 'ignore',
      whenChanged: 'ignore',
      PropertyNames: 'ignore',
      AddedProperties: 'ignore',
      RemovedProperties: 'ignore',
      ModifiedProperties: 'ignore',
      PropertyCount: 'ignore',
    });
    // Values as written: the leading zeros of employeeID, the + of a phone number, the escaped comma of a DN.
    const column = (header: string) => opened.columns.find((c) => c.header === header)!.samples;
    expect(column('employeeID')).toEqual(['004217']);
    expect(column('telephoneNumber')).toEqual(['+46 8 123 456 78', '+1 (415) 555-0100']);
    expect(column('Manager')).toEqual([SMITH_DN]);
  });

  it('matches users by ObjectGUID and previews exactly the changes; empty ($null) cells change nothing', async () => {
    const opened = await services.sheets.open(GET_ADUSER);
    const options: SheetOptions = { sheetId: opened.sheetId, clearEmpty: false };
    expect(services.sheets.preview(options).counts).toEqual({ change: 2, unchanged: 2, refused: 5 });
    expect(rowsOf(opened.sheetId)).toEqual([
      // Built-in and system accounts Roster never imported: no user, nothing created.
      {
        row: 2,
        status: 'refused',
        changes: [],
        reasons: [noMatch('d41e7a02-6b3c-4f18-a9e5-0c7b2d4f6a81', 'CN=Administrator,CN=Users,DC=corp,DC=example', 'Administrator')],
      },
      { row: 3, status: 'refused', changes: [], reasons: [noMatch('e5f60718-293a-4b4c-9d5e-6f708192a3b4', 'CN=Guest,CN=Users,DC=corp,DC=example', 'Guest')] },
      { row: 4, status: 'refused', changes: [], reasons: [noMatch('f6071829-3a4b-4c5d-8e6f-708192a3b4c5', 'CN=krbtgt,CN=Users,DC=corp,DC=example', 'krbtgt')] },
      {
        row: 5,
        status: 'change',
        username: 'zangstrom',
        matchedBy: 'directoryId',
        changes: [{ field: 'title', before: 'Scientist', after: 'Senior Scientist' }],
        reasons: [],
      },
      // Its telephoneNumber is $null (empty, unquoted): left alone.
      { row: 6, status: 'unchanged', username: 'jsmith', matchedBy: 'directoryId', changes: [], reasons: [] },
      // Renamed upstream (CN and given name): still found by ObjectGUID, refused for the locked first name.
      { row: 7, status: 'refused', username: 'sobrien', matchedBy: 'directoryId', changes: [], reasons: [LOCKED_GIVEN_NAME] },
      { row: 8, status: 'unchanged', username: 'tnguyen', matchedBy: 'directoryId', changes: [], reasons: [] },
      // sAMAccountName changed upstream: found by ObjectGUID.
      {
        row: 9,
        status: 'change',
        username: 'mgarcia',
        matchedBy: 'directoryId',
        changes: [{ field: 'department', before: 'Finance', after: 'Legal' }],
        reasons: [],
      },
      {
        row: 10,
        status: 'refused',
        changes: [],
        reasons: [noMatch('a1b2c3d4-e5f6-4718-9a2b-3c4d5e6f7081', 'CN=Ada Newhire,OU=Research,OU=Staff,DC=corp,DC=example', 'anewhire')],
      },
    ]);

    // With "empty cells clear values", jsmith's $null telephoneNumber clears the phone; nothing else moves.
    const clearing = { ...options, clearEmpty: true };
    expect(services.sheets.preview(clearing).counts).toEqual({ change: 3, unchanged: 1, refused: 5 });
    expect(rowsOf(opened.sheetId).find((r) => r.row === 6)).toEqual({
      row: 6,
      status: 'change',
      username: 'jsmith',
      matchedBy: 'directoryId',
      changes: [{ field: 'phone', before: '+1 (415) 555-0142', after: '' }],
      reasons: [],
    });

    const report = await services.sheets.apply(options);
    expect(report).toMatchObject({ applied: 2, unchanged: 2, refused: 5 });
    expect(current('zangstrom').fields).toEqual({ ...byName('zangstrom').fields, title: 'Senior Scientist' });
    expect(current('mgarcia').fields).toEqual({ ...byName('mgarcia').fields, department: 'Legal' });
    for (const same of ['jsmith', 'sobrien', 'tnguyen', 'helpdesk']) expect(current(same)).toEqual(byName(same));
    // Newest first: one audit entry per changed user.
    expect((await services.audit.query({ action: 'user.sheet-import' })).map((e) => [e.username, e.note])).toEqual([
      ['mgarcia', 'From get-aduser-export.csv, row 9.'],
      ['zangstrom', 'From get-aduser-export.csv, row 5.'],
    ]);
  });

  it('matches by DistinguishedName, then SamAccountName, when the ObjectGUID column is left out', async () => {
    const opened = await services.sheets.open(GET_ADUSER);
    const at = (header: string) => String(opened.columns.find((c) => c.header === header)!.index);
    const summary = () => rowsOf(opened.sheetId).map((r) => [r.row, r.status, r.username, r.matchedBy]);

    services.sheets.preview({ sheetId: opened.sheetId, clearEmpty: false, mapping: { [at('ObjectGUID')]: 'ignore' } });
    expect(summary()).toEqual([
      [2, 'refused', undefined, undefined],
      [3, 'refused', undefined, undefined],
      [4, 'refused', undefined, undefined],
      [5, 'change', 'zangstrom', 'dn'],
      [6, 'unchanged', 'jsmith', 'dn'],
      // The renamed entry's new DN names nobody while its username names sobrien: refused, not guessed.
      [7, 'refused', undefined, undefined],
      [8, 'unchanged', 'tnguyen', 'dn'],
      [9, 'change', 'mgarcia', 'dn'],
      [10, 'refused', undefined, undefined],
    ]);
    expect(rowsOf(opened.sheetId)[5]!.reasons).toEqual([
      "No user has dn CN=Seán O'Brien,OU=Finance,OU=Staff,DC=corp,DC=example, but username sobrien is sobrien: the row's identities disagree.",
    ]);

    services.sheets.preview({ sheetId: opened.sheetId, clearEmpty: false, mapping: { [at('ObjectGUID')]: 'ignore', [at('DistinguishedName')]: 'ignore' } });
    expect(summary()).toEqual([
      [2, 'refused', undefined, undefined],
      [3, 'refused', undefined, undefined],
      [4, 'refused', undefined, undefined],
      [5, 'change', 'zangstrom', 'username'],
      [6, 'unchanged', 'jsmith', 'username'],
      [7, 'refused', 'sobrien', 'username'],
      [8, 'unchanged', 'tnguyen', 'username'],
      // mgarcia.lopez is nobody in Roster: without the GUID or the DN, the rename cannot be followed.
      [9, 'refused', undefined, undefined],
      [10, 'refused', undefined, undefined],
    ]);
  });
});

describe('a csvde -f sheet', () => {
  it('has the shape csvde writes: DN first, quoted only around commas, objectGUID as X hex, CRLF', async () => {
    const text = await readFile(CSVDE, 'latin1');
    const lines = text.split('\r\n');
    expect(lines[0]).toBe(
      'DN,objectClass,sAMAccountName,objectGUID,givenName,sn,displayName,mail,telephoneNumber,department,title,userAccountControl,memberOf,whenChanged',
    );
    expect(lines.at(-1)).toBe('');
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(lines[2]).toBe(
      '"CN=Maria Garcia,OU=Finance,OU=Staff,DC=corp,DC=example",user,mgarcia.lopez,X\'1b9e7c5a5f3d7d4b8f1a3c5e7a9b1d3f\',Maria,Garcia,Maria Garcia,maria.garcia@corp.example,+34 91 123 45 67,Legal,Accountant,512,"CN=Legal,OU=Groups,DC=corp,DC=example",20260204074000.0Z',
    );
  });

  it('maps its columns by LDAP attribute name, reads objectGUID bytes as the GUID, and previews exactly the changes', async () => {
    const opened = await services.sheets.open(CSVDE);
    expect(opened).toMatchObject({ rows: 5, source: 'comma-separated' });
    expect(opened.columns.map((c) => [c.header, c.target])).toEqual([
      ['DN', 'dn'],
      ['objectClass', 'ignore'],
      ['sAMAccountName', 'username'],
      ['objectGUID', 'directoryId'],
      ['givenName', 'field:givenName'],
      ['sn', 'field:surname'],
      ['displayName', 'field:displayName'],
      ['mail', 'field:email'],
      ['telephoneNumber', 'field:phone'],
      ['department', 'field:department'],
      ['title', 'field:title'],
      ['userAccountControl', 'ignore'],
      ['memberOf', 'ignore'],
      ['whenChanged', 'ignore'],
    ]);
    const options: SheetOptions = { sheetId: opened.sheetId, clearEmpty: false };
    expect(services.sheets.preview(options).counts).toEqual({ change: 2, unchanged: 2, refused: 1 });
    expect(rowsOf(opened.sheetId)).toEqual([
      {
        row: 2,
        status: 'change',
        username: 'jsmith',
        matchedBy: 'directoryId',
        changes: [{ field: 'title', before: 'Account Manager', after: 'Key Account Manager' }],
        reasons: [],
      },
      {
        row: 3,
        status: 'change',
        username: 'mgarcia',
        matchedBy: 'directoryId',
        changes: [
          { field: 'phone', before: '', after: '+34 91 123 45 67' },
          { field: 'department', before: 'Finance', after: 'Legal' },
        ],
        reasons: [],
      },
      { row: 4, status: 'unchanged', username: 'sobrien', matchedBy: 'directoryId', changes: [], reasons: [] },
      // csvde lists computers (objectClass=user matches them): no user.
      {
        row: 5,
        status: 'refused',
        changes: [],
        reasons: [noMatch("X'3b2a1f0e5d4c6f4e8a7b9c0d1e2f3a4b'", 'CN=WS0142,OU=Workstations,DC=corp,DC=example', 'WS0142$')],
      },
      { row: 6, status: 'unchanged', username: 'tnguyen', matchedBy: 'directoryId', changes: [], reasons: [] },
    ]);

    // Empty cells clear only when asked: jsmith's empty telephoneNumber then clears the phone.
    services.sheets.preview({ ...options, clearEmpty: true });
    expect(rowsOf(opened.sheetId)[0]!.changes).toEqual([
      { field: 'phone', before: '+1 (415) 555-0142', after: '' },
      { field: 'title', before: 'Account Manager', after: 'Key Account Manager' },
    ]);
  });
});

describe('directory id cells', () => {
  it('reads csvde hex bytes and braced GUIDs as the canonical GUID, anything else as written', () => {
    expect(directoryIdOf("X'3b2c1d6f594a8f4e9d0c1b2a3c4d5e6f'")).toBe('6f1d2c3b-4a59-4e8f-9d0c-1b2a3c4d5e6f');
    expect(directoryIdOf("x'3B2C1D6F594A8F4E9D0C1B2A3C4D5E6F'")).toBe('6f1d2c3b-4a59-4e8f-9d0c-1b2a3c4d5e6f');
    expect(directoryIdOf('{6F1D2C3B-4A59-4E8F-9D0C-1B2A3C4D5E6F}')).toBe('6F1D2C3B-4A59-4E8F-9D0C-1B2A3C4D5E6F');
    expect(directoryIdOf('6f1d2c3b-4a59-4e8f-9d0c-1b2a3c4d5e6f')).toBe('6f1d2c3b-4a59-4e8f-9d0c-1b2a3c4d5e6f');
    expect(directoryIdOf("X'3b2c'")).toBe("X'3b2c'");
    expect(directoryIdOf('entry-uuid-as-is')).toBe('entry-uuid-as-is');
  });
});
