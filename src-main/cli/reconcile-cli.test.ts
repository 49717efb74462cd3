import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlapd, type SlapdServer } from '../../e2e/fixtures/slapd';
import { runCli } from './run-cli';

let server: SlapdServer;
let dataDir: string;

const roster = (...args: string[]) => runCli(dataDir, args);
const json = async (...args: string[]) => {
  const result = await roster(...args, '--json');
  expect(result.err).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.out);
};
const pw = ['--password-env', 'ROSTER_RECONCILE_CLI_PW'];

beforeAll(async () => {
  server = await startSlapd({ flavor: 'openldap', users: 20, syncprov: true });
  process.env.ROSTER_RECONCILE_CLI_PW = server.readerPassword;
  dataDir = await mkdtemp(join(tmpdir(), 'roster-cli-reconcile-'));
  await roster(
    'realm',
    'add',
    '--name',
    'Lab',
    '--kind',
    'openldap',
    '--tls',
    'none',
    '--url',
    server.url,
    '--bind-dn',
    server.readerDn,
    '--base-dn',
    server.baseDn,
  );
}, 60_000);
afterAll(async () => {
  await server?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('roster resync --all', () => {
  it('reconciles in full the first time, then incrementally, in full again with --full, and says which and why', async () => {
    await json('import', '--realm', 'Lab', '--query', '*', ...pw);
    expect((await json('resync', '--realm', 'Lab', '--all', ...pw)).reconcile).toEqual({
      mode: 'full',
      reason: 'first reconcile of this realm (no change markers kept from an earlier one)',
      entriesRead: 20,
    });
    const text = await roster('resync', '--realm', 'Lab', '--all', ...pw);
    expect(text.code).toBe(0);
    expect(text.out.split('\n').at(-1)).toMatch(
      /^Incremental reconcile \(the last reconcile's change markers hold: the same server, search and mapping\): \d+ entries read in full, changed since entryCSN \S+ on ldap:\/\/127\.0\.0\.1:\d+; 20 ids swept for deleted and moved entries\.$/,
    );
    expect((await json('resync', '--realm', 'Lab', '--all', '--full', ...pw)).reconcile).toEqual({
      mode: 'full',
      reason: 'a full reconcile was asked for',
      entriesRead: 20,
    });
    expect(await roster('resync', '--realm', 'Lab', '--user', 'zangstrom', '--full', ...pw)).toMatchObject({
      code: 1,
      err: 'roster: --full goes with --all: a named user is always read in full.',
    });
  });

  it('says how many entries of the directory are new (no Roster user linked to them), with the command that imports them', async () => {
    const own = await mkdtemp(join(tmpdir(), 'roster-cli-reconcile-new-'));
    const mine = (...args: string[]) => runCli(own, args);
    try {
      await mine('realm', 'add', '--name', 'Half lab', '--kind', 'openldap', '--tls', 'none', '--url', server.url, '--bind-dn', server.readerDn, '--base-dn', server.baseDn);
      // user00010 … user00019: 10 of the 20 entries.
      expect((await mine('import', '--realm', 'Half lab', '--query', 'user0001', ...pw)).code).toBe(0);
      const first = await mine('resync', '--realm', 'Half lab', '--all', ...pw);
      expect(first.code).toBe(0);
      expect(first.out.split('\n').at(-2)).toBe("10 new in the directory (no Roster user is linked to them); to import them: roster import --realm \"Half lab\" --query '*'");
      const again = JSON.parse((await mine('resync', '--realm', 'Half lab', '--all', '--json', ...pw)).out);
      expect(again).toMatchObject({ newInDirectory: 10, reconcile: { mode: 'incremental' } });
      await mine('import', '--realm', 'Half lab', '--query', '*', ...pw);
      const done = await mine('resync', '--realm', 'Half lab', '--all', ...pw);
      expect(done.out).not.toMatch(/new in the directory/);
    } finally {
      await rm(own, { recursive: true, force: true });
    }
  });
});
