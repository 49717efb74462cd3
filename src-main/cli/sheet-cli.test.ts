import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { beforeEach, describe, expect, it } from 'vitest';
import { seedUsers, withServices } from '../../e2e/fixtures/users';
import type { UserRecord } from '#shared/model/user';
import { runCli } from './run-cli';

let dir: string;
let seeded: UserRecord[];
const roster = (...args: string[]) => runCli(dir, args);

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'roster-cli-sheet-'));
  // u000001 zangstrom, u000002 user00002 … internal; u000003 user00003 and u000006 user00006 external (directory-owned names).
  seeded = await seedUsers(dir, 7);
  return () => rm(dir, { recursive: true, force: true });
});

const user = (index: number): UserRecord => seeded[index - 1] as UserRecord;
/** The store as it is now (the CLI has closed it, so the services can open it). */
const stored = () =>
  withServices(dir, async (_call, services) => ({
    users: new Map([...services.userStore.all()].map((u) => [u.id, u])),
    audit: await services.audit.query({}),
  }));

/** The returned sheet: one change, an unknown user, a locked field, a malformed email, and a row with empty cells. */
async function sheet(): Promise<string> {
  const path = join(dir, 'returned.csv');
  const rows = [
    ['username', 'Dept', 'displayName', 'email'],
    ['user00003', 'Platform QA', 'Carol Adams', 'user00003@example.org'],
    ['nobody', 'Sales', '', ''],
    ['user00006', 'Legal', 'Francis Adams', ''],
    ['zangstrom', '', '', 'zangstrom(at)example.org'],
    ['user00002', '', '', ''],
  ];
  await writeFile(path, `\uFEFF${stringify(rows, { record_delimiter: '\r\n' })}`);
  return path;
}

describe('roster import-sheet', () => {
  it('previews with --dry-run (nothing saved), then applies, as tables and a count line', async () => {
    const path = await sheet();
    const dry = await roster('import-sheet', path, '--dry-run', '--map', 'dept=department');
    const locked = 'Full name of user00006 is owned by the directory and read-only; change it in the directory, or make the field local in Settings → Fields.';
    const change = 'Department: "Finance" → "Platform QA"';
    expect(dry).toEqual({
      code: 0,
      err: '',
      out: [
        'Refused rows:',
        'ROW  USER       REASONS',
        `---  ---------  ${'-'.repeat(locked.length)}`,
        '3               No user matches (username nobody).',
        `4    user00006  ${locked}`,
        '5    zangstrom  Email "zangstrom(at)example.org" is not an email address (name@example.org).',
        '',
        'Rows that would change:',
        'ROW  USER       CHANGES',
        `---  ---------  ${'-'.repeat(change.length)}`,
        `2    user00003  ${change}`,
        '',
        'Dry run (nothing saved): 1 would change, 1 unchanged, 3 refused (not applied: fix them in the sheet and import it again).',
      ].join('\n'),
    });
    let now = await stored();
    expect(now.users.get(user(3).id)).toEqual(user(3));
    expect(now.audit).toEqual([]);

    const applied = await roster('import-sheet', path, '--map', 'Dept=department', '--json');
    expect(applied.err).toBe('');
    expect(applied.code).toBe(0);
    expect(JSON.parse(applied.out)).toMatchObject({ file: path, applied: 1, unchanged: 1, refused: 3, appliedRows: [{ row: 2, username: 'user00003' }] });
    now = await stored();
    expect(now.users.get(user(3).id)!.fields.department).toBe('Platform QA');
    expect(now.audit.filter((e) => e.action === 'user.sheet-import').map((e) => e.note)).toEqual(['From returned.csv, row 2.']);

    const cleared = await roster('import-sheet', path, '--map', 'Dept=department', '--map', 'email=ignore', '--map', 'displayName=ignore', '--clear-empty');
    expect(cleared.code).toBe(0);
    expect(cleared.out.split('\n').at(-1)).toBe('2 changed, 2 unchanged, 1 refused (not applied: fix them in the sheet and import it again).');
    now = await stored();
    expect(now.users.get(user(1).id)!.fields).not.toHaveProperty('department');
    expect(now.users.get(user(2).id)!.fields).not.toHaveProperty('department');
    expect(now.users.get(user(6).id)!.fields.department).toBe('Legal');
  });

  it('fails with exit code 1 when the file cannot be read or a --map is wrong, and 2 for a wrong command line', async () => {
    const missing = join(dir, 'missing.csv');
    expect(await roster('import-sheet', missing)).toEqual({ code: 1, out: '', err: `roster: There is no file ${missing}.` });
    const path = await sheet();
    expect(await roster('import-sheet', path, '--map', 'Dept')).toEqual({
      code: 1,
      out: '',
      err: 'roster: --map "Dept" should be HEADER=TARGET, e.g. --map "Dept=department".',
    });
    expect(await roster('import-sheet', path, '--map', 'Division=department')).toEqual({
      code: 1,
      out: '',
      err: 'roster: The sheet has no column "Division". Its columns: username, Dept, displayName, email.',
    });
    expect(await roster('import-sheet', path, '--map', 'username=ignore')).toEqual({
      code: 1,
      out: '',
      err: "roster: No column identifies the users: map a column to id, directoryId, dn or username (the sheet's columns: username, Dept, displayName, email).",
    });
    expect(await roster('import-sheet', path, '--map', 'Dept=cost center')).toMatchObject({
      code: 1,
      err: 'roster: "cost center" is not a target: use ignore, id, directoryId, dn, username or a field key such as department.',
    });

    const usage = await roster('import-sheet');
    expect(usage.code).toBe(2);
    expect(usage.err).toMatch(/missing required argument 'FILE'/);
    expect((await roster('import-sheet', path, '--bogus')).code).toBe(2);
    // Nothing was applied by any of them.
    expect((await stored()).audit).toEqual([]);
  });
});
