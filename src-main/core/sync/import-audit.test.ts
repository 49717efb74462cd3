import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realmFromPreset } from '#shared/model/realm-presets';
import { startSlapd, type SlapdServer } from '../../../e2e/fixtures/slapd';
import { addRealm } from '../../../e2e/fixtures/users';
import { AUDIT_FILE } from '../audit/audit-log';
import { SessionSecretStore } from '../secrets/secret-store';
import { openServices } from '../services';
import { MAX_SUMMARY_CHANGES } from './sync-context';

const USERS = 2_100;
let server: SlapdServer;
let dir: string;
beforeAll(async () => {
  server = await startSlapd({ flavor: 'openldap', users: USERS });
  dir = await mkdtemp(join(tmpdir(), 'roster-import-audit-'));
}, 60_000);
afterAll(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

const open = () => openServices({ dataDir: dir, owner: 'test', transport: 'cli', secrets: new SessionSecretStore('t'), version: 't', actor: 'alice' });

// What an import's audit entry and report always showed for user 1: the username, then each field from empty.
const ZOE = [
  { field: 'username', before: '', after: 'zangstrom' },
  { field: 'displayName', before: '', after: 'Zoë Ångström' },
  { field: 'givenName', before: '', after: 'Zoë' },
  { field: 'surname', before: '', after: 'Ångström' },
  { field: 'email', before: '', after: 'zangstrom@example.org' },
  { field: 'department', before: '', after: 'Sales' },
  { field: 'title', before: '', after: 'Senior Engineer' },
  { field: 'phone', before: '', after: '+1 555 0000001' },
  { field: 'company', before: '', after: 'Example Org' },
  { field: 'employeeId', before: '', after: 'E00001' },
];

describe('the audit record of a whole-realm import', () => {
  it('is stored lean, and the History, the Audit screen, its CSV and the report show every field as before', async () => {
    let services = await open();
    try {
      const input = realmFromPreset('openldap', { name: 'Lab', urls: [server.url], bindDn: server.readerDn, baseDn: server.baseDn, tls: 'none' });
      const realm = await addRealm(services, input, server.readerPassword);
      const summary = await services.importer.streamImport(realm.id, services.importer.filterFor(realm.id, '*'));
      expect(summary.created).toBe(USERS);
      // The report spells out the changes of the users it lists, and lists MAX_SUMMARY_CHANGES of them.
      expect(summary.changes).toHaveLength(MAX_SUMMARY_CHANGES);
      expect(summary.changesTruncated).toBe(true);
      const zoeChange = summary.changes.find((c) => c.username === 'zangstrom');
      expect(zoeChange?.changes).toEqual(ZOE.slice(1));
      for (const change of summary.changes) expect(change.changes.length).toBeGreaterThan(5);
    } finally {
      await services.close();
    }

    // On disk: one entry per user holding the imported values, no before/after pair per field.
    const lines = (await readFile(join(dir, AUDIT_FILE), 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(USERS);
    const zoeLine = JSON.parse(lines.find((l) => l.includes('"zangstrom"'))!);
    expect(zoeLine.changes).toEqual([]);
    expect(zoeLine.imported).toEqual(Object.fromEntries(ZOE.slice(1).map((c) => [c.field, c.after])));

    // Read back after a restart, as the History tab, the Audit screen and its CSV (and `roster audit`) read it.
    services = await open();
    try {
      const zoe = services.userStore.findByUsername('zangstrom')!;
      const [entry] = await services.users.history(zoe.id);
      expect(entry).toMatchObject({ action: 'user.import', username: 'zangstrom', who: 'alice', note: `Imported from ${zoe.origin!.dn}.` });
      expect(entry!.changes).toEqual(ZOE);
      const page = await services.auditor.list({ user: 'zangstrom' }, 0, 10);
      expect(page.entries).toEqual([entry]);
      const csv = await services.auditor.csv({ user: 'zangstrom' });
      const rows = csv.csv.trim().split('\r\n').slice(1);
      expect(rows).toHaveLength(ZOE.length);
      expect(rows.map((row) => row.split(',').slice(7, 10))).toEqual(ZOE.map((c) => [c.field, c.before, c.after]));
    } finally {
      await services.close();
    }
  }, 60_000);
});
