import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSlapd, toLdif, type SlapdServer } from '../../../e2e/fixtures/slapd';
import { coverageLine, type ConnectionTestReport } from '#shared/model/connection-test';
import type { Realm, RealmInput } from '#shared/model/realm';
import { realmFromPreset } from '#shared/model/realm-presets';
import { createHandlers, dispatch, type HandlerTable } from '../../handlers';
import { SessionSecretStore } from '../secrets/secret-store';
import { openServices, type Services } from '../services';
import { cnOnlyPeople } from '../../../e2e/fixtures/ldif';

// Five plain inetOrgPerson entries, the way OpenLDAP directories hold them: cn, never displayName; two without a department.
const cnOnly = (peopleDn: string) => cnOnlyPeople(peopleDn, 5, (k) => (k < 3 ? 'Sales' : []));

let server: SlapdServer;
let dir: string;
let services: Services;
let table: HandlerTable;

beforeAll(async () => {
  server = await startSlapd({ flavor: 'openldap', users: 0, extraEntries: cnOnly('ou=people,dc=example,dc=org') });
});
afterAll(async () => server?.stop());
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'roster-realm-test-'));
  services = await openServices({ dataDir: dir, owner: 'test', transport: 'cli', secrets: new SessionSecretStore('test'), version: 'test' });
  table = createHandlers(services);
});
afterEach(async () => {
  await services.close();
  await rm(dir, { recursive: true, force: true });
});

/** A handler call that must succeed. */
async function call<T>(channel: string, input: unknown): Promise<T> {
  const result = await dispatch(table, channel, input);
  if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
  return result.value as T;
}

const lab = (displayName: string[]): RealmInput => {
  const realm = realmFromPreset('openldap', { name: 'Lab', urls: [server.url], bindDn: server.readerDn, baseDn: server.baseDn, tls: 'none' });
  realm.mapping.displayName = displayName;
  return realm;
};
const lines = (report: ConnectionTestReport) => report.coverage?.fields.map((f) => coverageLine(f, report.coverage?.sampled ?? 0)) ?? [];
const step = (report: ConnectionTestReport, name: string) => report.steps.find((s) => s.step === name);

describe('realms:test reports mapping coverage', () => {
  it("tests a saved realm with its saved mapping and a draft with the draft's, remembering only the saved outcome", async () => {
    const saved = await call<Realm>('realms:create', { realm: lab(['displayName']) });
    await call('realms:set-session-password', { realmId: saved.id, password: server.readerPassword, remember: true });
    const asSaved = await call<ConnectionTestReport>('realms:test', { id: saved.id });
    expect(asSaved.ok).toBe(true);
    expect(lines(asSaved)[1]).toBe('Full name: 0 of 5 have displayName; 5 stay empty');
    expect(step(asSaved, 'coverage')).toMatchObject({
      status: 'warning',
      detail: 'Full name would be empty for 5 of 5 users: none has displayName; map another attribute under Attribute mapping.',
    });
    const remembered = (await call<Realm[]>('realms:list', {}))[0]?.lastTest;
    expect(remembered).toMatchObject({ ok: true, message: `OpenLDAP at ${server.url}, base DN found, 5 users; mapping: 1 warning` });

    // The form edits the list and tests the draft (with the id, for the saved password): cn now fills the field.
    const draft = await call<ConnectionTestReport>('realms:test', { id: saved.id, draft: lab(['displayName', 'cn']) });
    expect(lines(draft)[1]).toBe('Full name: 0 of 5 have displayName; cn gives 5');
    expect(step(draft, 'coverage')?.status).toBe('ok');
    expect((await call<Realm[]>('realms:list', {}))[0]?.lastTest).toEqual(remembered);
  });

  it('takes required fields and custom fields from the field catalogue', async () => {
    await call('fields:set-policy', { key: 'department', required: false });
    await call('fields:set-policy', { key: 'phone', required: true });
    await call('fields:add', { field: { key: 'room', label: 'Room', type: 'text', ldapAttribute: 'roomNumber', owner: 'local', required: true } });
    await call('realms:set-session-password', { draftId: 'coverage-form', connection: lab([]).connection, password: server.readerPassword });
    const report = await call<ConnectionTestReport>('realms:test', { draft: lab(['displayName', 'cn']), draftId: 'coverage-form' });
    expect(lines(report)).toEqual([
      'Username: 5 of 5 have uid',
      'Full name: 0 of 5 have displayName; cn gives 5',
      'First name: 5 of 5 have givenName',
      'Last name: 5 of 5 have sn',
      'Email: 5 of 5 have mail',
      'Department: 3 of 5 have departmentNumber; 2 stay empty',
      'Job title: 5 of 5 have title',
      'Phone: 0 of 5 have telephoneNumber; 5 stay empty',
      'Mobile: 0 of 5 have mobile; 5 stay empty',
      // The preset maps Office to roomNumber too; the custom field reads it under its own name.
      'Office: 0 of 5 have roomNumber; 5 stay empty',
      'Company: 0 of 5 have o; 5 stay empty',
      'Manager (DN): 0 of 5 have manager; 5 stay empty',
      'Employee ID: 0 of 5 have employeeNumber; 5 stay empty',
      'Room: 0 of 5 have roomNumber; 5 stay empty',
    ]);
    expect(step(report, 'coverage')).toMatchObject({
      status: 'warning',
      detail:
        'Phone would be empty for 5 of 5 users: none has telephoneNumber; map another attribute under Attribute mapping. ' +
        'Room would be empty for 5 of 5 users: none has roomNumber; map another attribute under Attribute mapping.',
    });
  });

  it('tests an LDIF realm from its file: read, count, coverage', async () => {
    const file = join(dir, 'export.ldif');
    const base = 'dc=offline,dc=example';
    await writeFile(
      file,
      toLdif([
        { dn: base, attributes: { objectClass: ['top', 'dcObject', 'organization'], dc: 'offline', o: 'Offline' } },
        ...cnOnly(`ou=people,${base}`).slice(0, 3),
        {
          dn: `cn=No Uid,ou=people,${base}`,
          attributes: { objectClass: ['top', 'person', 'organizationalPerson', 'inetOrgPerson'], cn: 'No Uid', sn: 'Uid', title: 'Clerk' },
        },
      ]),
    );
    const realm = realmFromPreset('ldif-file', { name: 'Offline', urls: [], bindDn: '', baseDn: '', ldifPath: file, flavour: 'openldap' });
    const saved = await call<Realm>('realms:create', { realm });
    const report = await call<ConnectionTestReport>('realms:test', { id: saved.id });
    expect(report.ok).toBe(true);
    expect(report.url).toBe(file);
    expect(report.steps.map((s) => [s.step, s.status, s.label, s.detail])).toEqual([
      ['file', 'ok', 'Read the LDIF file', `${file}: 5 entries.`],
      ['users', 'ok', 'Count users matching the filter', '4 users match (objectClass=inetOrgPerson).'],
      [
        'coverage',
        'warning',
        'Check the attribute mapping on a sample of users',
        'Username would be empty for 1 of 4 users: it has no uid; it cannot be imported; map another attribute under Attribute mapping.',
      ],
    ]);
    expect(lines(report).slice(0, 5)).toEqual([
      'Username: 3 of 4 have uid; 1 stays empty',
      'Full name: 0 of 4 have displayName; cn gives 4',
      'First name: 3 of 4 have givenName; 1 stays empty',
      'Last name: 4 of 4 have sn',
      'Email: 3 of 4 have mail; 1 stays empty',
    ]);
    expect((await call<Realm[]>('realms:list', {}))[0]?.lastTest).toMatchObject({ ok: true, message: `LDIF file ${file}, 4 users; mapping: 1 warning` });
  });

  it('says when an LDIF realm cannot read its file, and skips the rest', async () => {
    const missing = join(dir, 'gone.ldif');
    const realm = realmFromPreset('ldif-file', { name: 'Gone', urls: [], bindDn: '', baseDn: '', ldifPath: missing, flavour: 'openldap' });
    const report = await call<ConnectionTestReport>('realms:test', { draft: realm });
    const message = `The LDIF file ${missing} of realm "Gone" cannot be read: it does not exist. Choose the file again in the realm settings.`;
    expect(report.ok).toBe(false);
    expect(report.error).toEqual({ code: 'not-found', message });
    expect(report.steps.map((s) => [s.step, s.status, s.detail])).toEqual([
      ['file', 'failed', message],
      ['users', 'skipped', 'Not run: an earlier step failed.'],
      ['coverage', 'skipped', 'Not run: an earlier step failed.'],
    ]);
  });
});
