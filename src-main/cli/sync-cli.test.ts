import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Attribute, Change, Client } from 'ldapts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSlapd, type SlapdServer } from '../../e2e/fixtures/slapd';
import { runCli } from './run-cli';

let server: SlapdServer;
/** A second directory (AD-like) whose usernames are also in the first: a domain migration. */
let acme: SlapdServer;
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
  [server, acme] = await Promise.all([startSlapd({ flavor: 'openldap', users: 30 }), startSlapd({ flavor: 'ad', users: 4 })]);
  process.env.ROSTER_SYNC_TEST_PW = server.readerPassword;
  process.env.ROSTER_ACME_TEST_PW = acme.readerPassword;
}, 120_000);
afterAll(async () => {
  await server?.stop();
  await acme?.stop();
});
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'roster-cli-sync-'));
  await roster('realm', 'add', '--name', 'Lab', '--kind', 'openldap', '--tls', 'none', '--url', server.url, '--bind-dn', server.readerDn, '--base-dn', server.baseDn);
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
      err: expect.stringMatching(/^roster: The LDAP filter \(uid=user\* is not valid: The "\(" at character 1 is never closed: a "\)" is missing\. /),
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
      // The table names the field by its label, as the app's report does.
      const text = await roster('resync', '--realm', 'Lab', '--user', 'user00005', '--dry-run', ...pw);
      expect(text.out).toMatch(/\nuser00005 +updated +Job title: "Specialist" → "Head of Tests" +uid=user00005,/);

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

describe('usernames held by users of another realm (--on-username-clash)', () => {
  const acmePw = ['--password-env', 'ROSTER_ACME_TEST_PW'];
  /** Lab imported whole (30 users); Acme Corp added, whose 4 usernames all belong to Lab users. */
  async function migration() {
    await json('import', '--realm', 'Lab', '--query', '*', ...pw);
    await json('users', 'set', 'zangstrom', 'mobile=+44 7700 900001');
    await roster('realm', 'add', '--name', 'Acme Corp', '--kind', 'active-directory', '--tls', 'none', '--url', acme.url, '--bind-dn', acme.readerDn, '--base-dn', acme.baseDn);
    const realms = await json('realm', 'list');
    const id = (name: string) => realms.find((r: { name: string }) => r.name === name).id as string;
    return { lab: id('Lab'), acme: id('Acme Corp') };
  }
  const show = async (username: string) => (await json('users', 'show', username)).user;

  it('skips by default, reporting each with its reason; a dry run of link writes nothing', async () => {
    const { lab } = await migration();
    const skipped = await json('import', '--realm', 'Acme Corp', '--query', '*', ...acmePw);
    expect(skipped).toMatchObject({ created: 0, updated: 0, conflicts: 4, usernameClashes: { skip: 4, link: 0, rename: 0 } });
    expect(skipped.changes.find((c: { username: string }) => c.username === 'user00003')).toEqual({
      userId: (await show('user00003')).id,
      username: 'user00003',
      dn: expect.stringMatching(/^cn=Carol Adams,ou=Staff,dc=corp,dc=example$/i),
      action: 'conflict',
      changes: [],
      note:
        `The username user00003 belongs to user00003, an external user of realm "Lab" (uid=user00003,${server.peopleDn}); Roster does not merge users ` +
        'across realms unless told to: link that user to this entry, import this entry under another username, or skip it. Skipped.',
      clash: 'skip',
    });
    const text = await roster('import', '--realm', 'Acme Corp', '--query', 'user00002', ...acmePw);
    expect(text.code).toBe(0);
    expect(text.out.split('\n').slice(-2)).toEqual([
      '0 created, 0 updated, 0 unchanged, 1 conflicts, 0 not found, 0 disabled in the directory (0 matched).',
      'Usernames held in another realm: 0 linked, 0 imported under another username, 1 skipped.',
    ]);
    const dry = await json('import', '--realm', 'Acme Corp', '--query', '*', '--on-username-clash', 'link', '--dry-run', ...acmePw);
    expect(dry).toMatchObject({ dryRun: true, updated: 4, conflicts: 0, usernameClashes: { link: 4, rename: 0, skip: 0 } });
    expect((await show('zangstrom')).origin.realmId).toBe(lab);
    expect((await json('users', 'list')).total).toBe(30);
  });

  it('links: same id, completion kept, Acme values, the move journaled; resync against Acme is then clean', async () => {
    const { acme: acmeId } = await migration();
    const before = await show('zangstrom');
    const linked = await json('import', '--realm', 'Acme Corp', '--query', 'zangstrom', '--on-username-clash', 'link', ...acmePw);
    expect(linked).toMatchObject({ matched: 1, updated: 1, conflicts: 0, usernameClashes: { link: 1, rename: 0, skip: 0 } });
    const after = await show('zangstrom');
    expect(after.id).toBe(before.id);
    expect(after.origin).toMatchObject({ realmId: acmeId, baseUsername: 'zangstrom' });
    expect(after.fields).toMatchObject({ mobile: '+44 7700 900001', email: 'zangstrom@corp.example', company: 'Example Corp' });
    const audit = await json('audit', 'list', '--action', 'user.relink');
    expect(audit.entries).toMatchObject([
      { action: 'user.relink', username: 'zangstrom', realmId: acmeId, changes: expect.arrayContaining([{ field: 'realm', before: 'Lab', after: 'Acme Corp' }]) },
    ]);
    const history = await json('audit', 'list', '--user', 'zangstrom');
    expect(history.entries.map((e: { action: string }) => e.action)).toEqual(['user.relink', 'user.update', 'user.import']);

    const resync = await json('resync', '--realm', 'Acme Corp', '--user', 'zangstrom', ...acmePw);
    expect(resync).toMatchObject({ matched: 1, updated: 0, unchanged: 1, conflicts: 0 });
    expect(await json('resync', '--realm', 'Acme Corp', '--all', ...acmePw)).toMatchObject({ matched: 1, unchanged: 1, conflicts: 0, notFound: 0 });
  });

  it('renames under the rule (default and given), refuses a bad rule, and reports a taken name', async () => {
    await migration();
    const renamed = await json('import', '--realm', 'Acme Corp', '--query', 'user00002', '--on-username-clash', 'rename', ...acmePw);
    expect(renamed).toMatchObject({ created: 1, usernameClashes: { rename: 1, link: 0, skip: 0 } });
    expect((await show('user00002.acme-corp')).origin.baseUsername).toBe('user00002');
    expect((await show('user00002')).fields.email).toBe('user00002@example.org');

    const ruled = await json(
      'import',
      '--realm',
      'Acme Corp',
      '--query',
      'user00003',
      '--on-username-clash',
      'rename',
      '--rename-rule',
      '{realm}_{username}',
      ...acmePw,
    );
    expect(ruled.changes.map((c: { username: string; action: string }) => [c.username, c.action])).toEqual([['acme-corp_user00003', 'created']]);

    await json('users', 'create', 'Ex-User00004');
    const taken = await json(
      'import',
      '--realm',
      'Acme Corp',
      '--query',
      'user00004',
      '--on-username-clash',
      'rename',
      '--rename-rule',
      'ex-{username}',
      ...acmePw,
    );
    expect(taken).toMatchObject({ created: 0, conflicts: 1 });
    expect(taken.changes[0].note).toMatch(
      / It was not imported as ex-user00004: Ex-User00004 already has that username \(usernames are unique ignoring case\); choose another name\.$/,
    );
    expect(
      await roster('import', '--realm', 'Acme Corp', '--query', '*', '--on-username-clash', 'rename', '--rename-rule', '{username}', ...acmePw),
    ).toMatchObject({
      code: 1,
      err: 'roster: The rule must add something to {username} (that username is the one already taken), e.g. {username}.{realm}.',
    });

    expect(
      await roster('import', '--realm', 'Acme Corp', '--query', '*', '--on-username-clash', 'rename', '--rename-rule', '{user}.x', ...acmePw),
    ).toMatchObject({
      code: 1,
      err: 'roster: Unknown placeholder {user}: a rule may use {username} and {realm}.',
    });
    expect(await roster('import', '--realm', 'Acme Corp', '--query', '*', '--on-username-clash', 'merge', ...acmePw)).toMatchObject({
      code: 2,
      err: expect.stringContaining("argument 'merge' is invalid. Allowed choices are skip, link, rename."),
    });
    expect((await json('users', 'list')).total).toBe(33);
  });

  it('resync of a user of another realm: refused by default with the way out, linked with link, refused with --all', async () => {
    const { acme: acmeId } = await migration();
    expect(await roster('resync', '--realm', 'Acme Corp', '--user', 'user00003', ...acmePw)).toEqual({
      code: 1,
      out: '',
      err:
        'roster: user00003 is not linked to realm "Acme Corp" but to "Lab". To bring in "Acme Corp"\'s entry with the same username, ' +
        'choose link (re-link the user to it) or rename (import it as another user) for username clashes.',
    });
    const linked = await json('resync', '--realm', 'Acme Corp', '--user', 'user00003', '--on-username-clash', 'link', ...acmePw);
    expect(linked).toMatchObject({ matched: 1, updated: 1, usernameClashes: { link: 1, rename: 0, skip: 0 } });
    expect((await show('user00003')).origin.realmId).toBe(acmeId);
    expect(await roster('resync', '--realm', 'Acme Corp', '--all', '--on-username-clash', 'link', ...acmePw)).toMatchObject({
      code: 1,
      err: `roster: --all compares only users already linked to the realm; to settle usernames held in another realm, run: roster import --realm "Acme Corp" --query '*' --on-username-clash link`,
    });
  });
});
