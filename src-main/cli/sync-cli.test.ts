import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Attribute, Change, Client } from 'ldapts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSlapd, type SlapdServer } from '../../e2e/fixtures/slapd';
import { runCli } from './run-cli';

let server: SlapdServer;
let dataDir: string;

/** Runs the CLI in-process on this test's data folder. */
const roster = (...args: string[]) => runCli(dataDir, args);
const json = async (...args: string[]) => {
  const result = await roster(...args, '--json');
  expect(result.err).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.out);
};
const pw = ['--password-env', 'ROSTER_SYNC_TEST_PW'];

beforeAll(async () => {
  server = await startSlapd({ flavor: 'openldap', users: 30 });
  process.env.ROSTER_SYNC_TEST_PW = server.readerPassword;
});
afterAll(async () => server?.stop());
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'roster-cli-sync-'));
  await roster('realm', 'add', '--name', 'Lab', '--kind', 'openldap', '--url', server.url, '--bind-dn', server.readerDn, '--base-dn', server.baseDn);
  return () => rm(dataDir, { recursive: true, force: true });
});

describe('roster import and roster resync', () => {
  it('imports by keyword, dry-runs, imports everyone, and refuses a bad filter', async () => {
    const dry = await json('import', '--realm', 'Lab', '--query', 'user0001', '--dry-run', ...pw);
    expect(dry).toMatchObject({ dryRun: true, created: 10, updated: 0, matched: 0 });
    expect((await json('users', 'list')).total).toBe(0);

    const first = await json('import', '--realm', 'lab', '--query', 'user0001', ...pw);
    expect(first).toMatchObject({ created: 10, updated: 0, unchanged: 0, conflicts: 0, notFound: 0 });
    expect(first.changes.map((c: { username: string }) => c.username).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `user000${10 + i}`));

    const text = await roster('import', '--realm', 'Lab', '--query', '*', ...pw);
    expect(text.code).toBe(0);
    expect(text.out.split('\n').at(-1)).toBe('20 created, 0 updated, 10 unchanged, 0 conflicts, 0 not found, 0 disabled in the directory (10 matched).');
    expect((await json('users', 'list')).total).toBe(30);

    expect(await roster('import', '--realm', 'Lab', '--filter', '(uid=user*', ...pw)).toMatchObject({
      code: 1,
      err: expect.stringMatching(/^roster: The LDAP filter \(uid=user\* is not valid: 1 unclosed "\("\. /),
    });
    expect(await roster('import', '--realm', 'Lab', '--query', '*')).toMatchObject({
      code: 1,
      err: 'roster: The bind password for realm "Lab" is not saved; enter it to read the directory.',
    });
    expect(await roster('import', '--realm', 'Lab', ...pw)).toMatchObject({
      code: 1,
      err: 'roster: Give --query KEYWORD (or "*" for everyone) or --filter FILTER.',
    });
  });

  it('resyncs named users and the whole realm, with per-user changes', async () => {
    await json('import', '--realm', 'Lab', '--query', '*', ...pw);
    const dn = `uid=user00005,${server.peopleDn}`;
    const client = new Client({ url: server.url });
    await client.bind(server.rootDn, server.rootPassword);
    await client.modify(dn, new Change({ operation: 'replace', modification: new Attribute({ type: 'title', values: ['Head of Tests'] }) }));
    try {
      const one = await json('resync', '--realm', 'Lab', '--user', 'user00005', '--user', 'zangstrom', '--dry-run', ...pw);
      expect(one).toMatchObject({ dryRun: true, matched: 2, updated: 1, unchanged: 1 });
      expect(one.changes.find((c: { username: string }) => c.username === 'user00005').changes).toEqual([
        { field: 'title', before: 'Specialist', after: 'Head of Tests' },
      ]);
      expect((await json('users', 'show', 'user00005')).user.fields.title).toBe('Specialist');

      const all = await json('resync', '--realm', 'Lab', '--all', ...pw);
      expect(all).toMatchObject({ matched: 30, updated: 1, unchanged: 29, conflicts: 0, notFound: 0 });
      expect((await json('users', 'show', 'user00005')).user.fields.title).toBe('Head of Tests');

      expect(await roster('resync', '--realm', 'Lab', ...pw)).toMatchObject({ code: 1, err: 'roster: Give --user USERNAME (repeatable) or --all, not both.' });
      expect(await roster('resync', '--realm', 'Lab', '--user', 'nobody', ...pw)).toMatchObject({ code: 1, err: 'roster: No user is called "nobody".' });
    } finally {
      await client.modify(dn, new Change({ operation: 'replace', modification: new Attribute({ type: 'title', values: ['Specialist'] }) }));
      await client.unbind();
    }
  });
});
