import { open, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateUsers, toLdif } from '../../../e2e/fixtures/ldif';
import type { Channel, ChannelInput, ChannelOutput } from '#shared/ipc/contract';
import { realmFromPreset } from '#shared/model/realm-presets';
import { RosterError } from '#shared/result';
import { createHandlers, dispatch } from '../../handlers';
import { normalizeDn } from '../ldap/dn';
import { SessionSecretStore } from '../secrets/secret-store';
import { openServices } from '../services';
import { clearLdifCache, loadLdifFile } from './ldif-source';
import { LdifParser, parseLdif } from './parse';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'roster-hostile-ldif-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));
beforeEach(() => clearLdifCache());

const bytes = (...parts: Array<string | number[]>): Buffer =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

/** The RosterError `work` throws (anything else fails the test). */
async function failure(work: () => unknown): Promise<{ code: string; message: string }> {
  try {
    await work();
  } catch (error) {
    if (error instanceof RosterError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a failure');
}

const ADVICE =
  'Roster reads LDIF as UTF-8 and does not guess another encoding: save the file as UTF-8 (it may be in Latin-1 or Windows-1252), or write the value in base64 after "::".';
const notUtf8 = (source: string, line: number, where: string, byte: string, after: string) => ({
  code: 'invalid-input',
  message: `${source} line ${line}: ${where} is not valid UTF-8 (byte ${byte}${after}). ${ADVICE}`,
});

describe('LDIF that is not UTF-8', () => {
  it('refuses a plain value that is not UTF-8, naming the line, the attribute and the byte, instead of replacing it', async () => {
    // Latin-1 "Schäfer": ä is the single byte 0xE4.
    const latin1 = bytes('dn: cn=Jo Schaefer,dc=example,dc=org\ncn: Jo Schaefer\nsn: Sch', [0xe4], 'fer\n');
    expect(await failure(() => parseLdif(latin1))).toEqual(notUtf8('the LDIF file', 3, 'the value of sn', '0xE4', ' after "Sch"'));

    // In the DN, after a comment and a version line; a multi-byte character cut short by a plain ASCII one.
    const dn = bytes('# export\nversion: 1\n\ndn: cn=J', [0xc3], 'rg,dc=example,dc=org\ncn: x\n');
    expect(await failure(() => parseLdif(dn))).toEqual(notUtf8('the LDIF file', 4, 'the value of dn', '0xC3', ' after "cn=J"'));

    // Folded: the bad byte is on the continuation line, and that is the line named.
    const folded = bytes('dn: cn=a,dc=x\ndescription: first part\n  and', [0xff], ' more\ncn: a\n');
    expect(await failure(() => parseLdif(folded))).toEqual(notUtf8('the LDIF file', 3, 'the value of description', '0xFF', ' after "first part and"'));

    // A character cut off at the end of the value, a long value (the text before the byte is shortened), an
    // overlong encoding of "/", and a bad byte in the attribute name.
    expect(await failure(() => parseLdif(bytes('dn: cn=a,dc=x\ncn: caf', [0xc3], '\n')))).toEqual(notUtf8('the LDIF file', 2, 'the value of cn', '0xC3', ' after "caf"')); // prettier-ignore
    expect(await failure(() => parseLdif(bytes('dn: cn=a,dc=x\ncn: 0123456789abcdefghijklmnopqrstuvwxyz', [0x80], '\n')))).toEqual(
      notUtf8('the LDIF file', 2, 'the value of cn', '0x80', ' after "…ghijklmnopqrstuvwxyz"'),
    );
    expect(await failure(() => parseLdif(bytes('dn: cn=a,dc=x\nhomeDirectory: ', [0xc0, 0xaf], 'etc\n')))).toEqual(
      notUtf8('the LDIF file', 2, 'the value of homeDirectory', '0xC0', ''),
    );
    expect(await failure(() => parseLdif(bytes('dn: cn=a,dc=x\nc', [0xe9], 'n: a\n')))).toEqual(
      notUtf8('the LDIF file', 2, 'the attribute name', '0xE9', ' after "c"'),
    );
  });

  it('keeps a real U+FFFD and ignores bytes in comments; a file on disk is refused with its path and line', async () => {
    const fine = bytes('dn: cn=a,dc=x\n# Latin-1 in a comment: M', [0xfc], 'ller\ncn: a \uFFFD b\n');
    expect(parseLdif(fine).entries).toEqual([{ dn: 'cn=a,dc=x', text: { cn: ['a \uFFFD b'] }, binary: {} }]);

    const path = join(dir, 'latin1.ldif');
    await writeFile(
      path,
      bytes(toLdif(generateUsers(3, 'openldap', 'ou=people,dc=example,dc=org')), '\ndn: cn=M', [0xfc], 'ller,dc=example,dc=org\nsn: M', [0xfc], 'ller\n'),
    );
    const lines = toLdif(generateUsers(3, 'openldap', 'ou=people,dc=example,dc=org')).split('\n').length;
    expect(await failure(() => loadLdifFile(path))).toEqual(notUtf8(`The LDIF file ${path}`, lines + 1, 'the value of dn', '0xFC', ' after "cn=M"'));
  });

  it('gives the same entries and the same errors whatever the chunks the bytes come in', () => {
    const users = toLdif(generateUsers(40, 'ad', 'OU=Staff,DC=corp,DC=example')).replace(/\n/g, '\r\n');
    // A BOM, CRLF, folded base64, a folded multi-byte character, a comment with continuation, a last line without a break.
    const file = bytes([0xef, 0xbb, 0xbf], '# head\r\n  more\r\nversion: 1\r\n\r\n', users, '\r\ndn: cn=Zo', [0xc3], '\r\n ', [0xab], ',dc=x\r\ncn: last');
    const whole = parseLdif(file);
    expect(whole.entries).toHaveLength(41);
    expect(whole.entries[40]).toEqual({ dn: 'cn=Zoë,dc=x', text: { cn: ['last'] }, binary: {} });
    const bad = bytes('dn: cn=a,dc=x\r\ncn: a\r\ndescription: ab\r\n c', [0xe2, 0x82], 'd\r\n');
    const badError = (() => {
      try {
        parseLdif(bad);
      } catch (error) {
        return (error as Error).message;
      }
      return '';
    })();
    expect(badError).toBe(notUtf8('the LDIF file', 4, 'the value of description', '0xE2', ' after "abc"').message);

    for (const size of [1, 2, 3, 5, 7, 76, 1000, 4096]) {
      // One buffer reused for every chunk, as a reader may: the parser must not keep views into it.
      const scratch = Buffer.alloc(size);
      const parser = new LdifParser();
      for (let i = 0; i < file.length; i += size) parser.push(scratch.subarray(0, file.copy(scratch, 0, i, i + size)));
      expect(parser.end()).toEqual(whole);

      const failing = new LdifParser();
      expect(() => {
        for (let i = 0; i < bad.length; i += size) failing.push(bad.subarray(i, i + size));
        failing.end();
      }).toThrow(badError);
    }
  });
});

describe('control characters from a hostile LDIF', () => {
  it('shows names, lines and values in messages with control and bidi characters escaped', async () => {
    // ESC [2J clears a terminal; ESC ] 0 ; … BEL sets its title.
    expect(await failure(() => parseLdif('dn: cn=a,dc=x\nc\x1b[2Jn: a\n'))).toEqual({
      code: 'invalid-input',
      message:
        'the LDIF file line 2: "c\\x1b[2Jn" is not an attribute name. Write "name: value" with a name of letters, digits and hyphens (options after ";"), e.g. "cn" or "userCertificate;binary".',
    });
    expect(await failure(() => parseLdif('dn: cn=a,dc=x\n\x1b]0;You are hacked\x07\n'))).toEqual({
      code: 'invalid-input',
      message:
        'the LDIF file line 2: "\\x1b]0;You are hacked\\x07" is not an "attribute: value" line (there is no colon). If it continues the line above, start it with one space.',
    });
    expect(await failure(() => parseLdif('version: 1\u009b31m\n'))).toEqual({
      code: 'invalid-input',
      message: 'the LDIF file line 1: LDIF version "1\\x9b31m" is not supported; Roster reads version 1 (RFC 2849).',
    });
    expect(await failure(() => parseLdif('dn: cn=a,dc=x\nchangetype: add\r\u2028delete\n'))).toEqual({
      code: 'invalid-input',
      message: 'the LDIF file line 2: changetype "add\\x0d\\u2028delete" is not one of add, modify, delete, modrdn, moddn.',
    });
    // U+202E turns "gpj.exe" around on screen, so it would read as a picture's name.
    const { warnings } = parseLdif('dn: cn=a,dc=x\njpegPhoto:< file:///tmp/\u202egpj.exe\n');
    expect(warnings).toEqual([
      'the LDIF file line 2: the value of jpegPhoto refers to file:///tmp/\\u202egpj.exe; Roster does not read files an LDIF file points to, so this value was left out.',
    ]);
  });

  it('keeps DNs as the same names but with RFC 4514 escapes for control and bidi characters, so they cannot act where shown', () => {
    const raw = 'cn=Eve\x1b[31m Admin\u202e,ou=people\n,dc=example,dc=org';
    const { entries } = parseLdif(`dn:: ${Buffer.from(raw).toString('base64')}\ncn: Eve\n\ndn: cn=Tab\there,dc=x\ncn: t\n`);
    expect(entries.map((e) => e.dn)).toEqual(['cn=Eve\\1b[31m Admin\\e2\\80\\ae,ou=people\\0a,dc=example,dc=org', 'cn=Tab\\09here,dc=x']);
    // To LDAP and to Roster's matching, the escaped DN is the same name as the raw one.
    expect(normalizeDn(entries[0]!.dn)).toBe(normalizeDn(raw));
    expect(normalizeDn(entries[1]!.dn)).toBe(normalizeDn('cn=Tab\there,dc=x'));
  });
});

describe('a 50 MB LDIF file', () => {
  it('is read in 64 KiB chunks with progress up to its size, never held in memory whole', async () => {
    const path = join(dir, 'large.ldif');
    const file = await open(path, 'w');
    let written = 0;
    let users = 0;
    // Written in pieces, so the test itself never holds the whole file either.
    while (written < 50_000_000) {
      const text = `${toLdif(generateUsers(2000, 'openldap', 'ou=people,dc=example,dc=org', users))}\n`;
      users += 2000;
      written += Buffer.byteLength(text);
      await file.write(text);
    }
    await file.close();
    const size = (await stat(path)).size;
    expect(size).toBe(written);

    // Buffers (file data) are counted in arrayBuffers; the parsed entries are strings on the heap. Reading the
    // whole file first (readFile) puts at least its size there; chunks keep it to a few of them. Sampled at
    // every progress call, i.e. after every chunk: the same points however fast the machine is.
    const before = process.memoryUsage().arrayBuffers;
    let peak = 0;
    const calls: Array<[number, number]> = [];
    const directory = await loadLdifFile(path, '', (done, total) => {
      calls.push([done, total]);
      peak = Math.max(peak, process.memoryUsage().arrayBuffers - before);
    });

    expect(directory.entries).toHaveLength(users);
    expect(directory.entries[users - 1]?.dn).toBe(`uid=user${users},ou=people,dc=example,dc=org`);
    expect(calls.length).toBe(Math.ceil(size / 65_536));
    expect(calls.at(-1)).toEqual([size, size]);
    calls.forEach(([done, total], i) => {
      expect(total).toBe(size);
      expect(done - (calls[i - 1]?.[0] ?? 0)).toBe(Math.min(65_536, size - (calls[i - 1]?.[0] ?? 0)));
    });
    expect(peak).toBeLessThan(size / 4);
  });
});

describe('progress of jobs that read an LDIF realm', () => {
  it('an import and a reconcile show reading the file, by bytes, up to its size', async () => {
    const path = join(dir, 'people.ldif');
    await writeFile(path, toLdif(generateUsers(3000, 'openldap', 'ou=people,dc=example,dc=org')));
    const size = (await stat(path)).size;
    const services = await openServices({ dataDir: join(dir, 'data'), owner: 'test', transport: 'cli', secrets: new SessionSecretStore('t'), version: 't' });
    try {
      const table = createHandlers(services);
      const call = async <C extends Channel>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> => {
        const result = await dispatch(table, channel, input);
        if (!result.ok) throw new Error(result.error.message);
        return result.value as ChannelOutput<C>;
      };
      const seen = await call('realms:inspect-ldif', { path });
      const realm = await call('realms:create', {
        realm: {
          ...realmFromPreset('ldif-file', { name: 'Export', urls: [], bindDn: '', baseDn: '', ldifPath: path, flavour: 'openldap' }),
          idAttribute: seen.idAttribute,
        },
      });
      const reading: Array<{ done: number; total: number; phase: string }> = [];
      services.events.onAny((event, payload) => {
        const progress = payload as { done: number; total: number; phase: string };
        if (event === 'jobs:progress' && progress.phase.startsWith('Reading people.ldif')) reading.push(progress);
      });
      const mb = (size / 1_000_000).toFixed(1);

      for (const start of [() => services.importer.searchAndImport(realm.id, '*', undefined), () => services.resync.reconcile(realm.id)]) {
        // Parsed files are kept; forgetting them makes the job read the file.
        clearLdifCache();
        reading.length = 0;
        const job = await services.jobs.wait((await start()).id);
        expect(job.state).toBe('done');
        // Events are throttled, but the last (done = total) always goes out.
        expect(reading.at(-1)).toEqual({ jobId: job.id, done: size, total: size, phase: `Reading people.ldif: ${mb} of ${mb} MB` });
        reading.forEach((p, i) => {
          expect(p.total).toBe(size);
          if (i > 0) expect(p.done).toBeGreaterThan(reading[i - 1]!.done);
        });
      }
      expect([...services.userStore.all()]).toHaveLength(3000);
    } finally {
      await services.close();
    }
  });
});
