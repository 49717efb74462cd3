import { execFile } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedUsers } from '../../e2e/fixtures/users';
import { quietOnClosedPipe } from './output';
import { runCli } from './run-cli';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
// Far more than a pipe's buffer (64 KiB on Linux), so the writer is still writing when `head` has gone.
const USERS = 1_000;
const PIPE_BUFFER = 65_536;

let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'roster-cli-pipe-'));
  await seedUsers(dataDir, USERS);
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

describe('a closed stdout', () => {
  it('ends `roster users list --json | head -c 10` quietly: exit 0, the first 10 bytes, nothing on stderr', async () => {
    const full = (await runCli(dataDir, ['users', 'list', '--json'])).out;
    expect(full.length).toBeGreaterThan(4 * PIPE_BUFFER);
    const errFile = join(dataDir, 'roster.err');
    // PIPESTATUS (bash) is roster's own exit code, not head's; roster's stderr goes to a file of its own.
    const { stdout, stderr } = await run(
      'bash',
      ['-c', 'node bin/roster.mjs users list --json --data-dir "$1" 2>"$2" | head -c 10; echo " exit=${PIPESTATUS[0]}"', 'bash', dataDir, errFile],
      { cwd: ROOT },
    );
    expect(stdout).toBe(`${full.slice(0, 10)} exit=0\n`);
    expect(stderr).toBe('');
    expect(await readFile(errFile, 'utf8')).toBe('');
  }, 60_000);
});

describe('help into a closed pipe', () => {
  it('`roster --help` whose reader has gone exits 0 with nothing on stderr (no EPIPE stack trace)', async () => {
    // `roster --help | head -c 1` races: the help is smaller than a pipe's buffer, so it usually fits before head
    // goes. Here the pipe is closed before roster starts: a FIFO opened read-write (so opening the write end does not
    // wait for a reader), the write end kept, the only read end closed; every write roster makes then fails.
    const errFile = join(dataDir, 'help.err');
    const { stdout, stderr } = await run(
      'bash',
      [
        '-c',
        'mkfifo "$1/help.fifo"; exec 3<>"$1/help.fifo" 4>"$1/help.fifo"; exec 3<&-; node bin/roster.mjs --help >&4 2>"$2"; echo "exit=$?"',
        'bash',
        dataDir,
        errFile,
      ],
      { cwd: ROOT },
    );
    expect(stdout).toBe('exit=0\n');
    expect(stderr).toBe('');
    expect(await readFile(errFile, 'utf8')).toBe('');
  }, 60_000);

  it('the same pipe does break a writer that does not handle it: the test closes the pipe for real', async () => {
    const { stdout } = await run(
      'bash',
      [
        '-c',
        'mkfifo "$1/raw.fifo"; exec 3<>"$1/raw.fifo" 4>"$1/raw.fifo"; exec 3<&-; node -e "process.stdout.write(\'x\')" >&4 2>"$1/raw.err"; echo "exit=$?"',
        'bash',
        dataDir,
      ],
      { cwd: ROOT },
    );
    expect(stdout).toBe('exit=1\n');
    expect(await readFile(join(dataDir, 'raw.err'), 'utf8')).toContain('Error: write EPIPE');
  }, 60_000);
});

describe('quietOnClosedPipe', () => {
  it('swallows EPIPE and nothing else, and watches a stream once', () => {
    const stream = new EventEmitter() as EventEmitter & NodeJS.WritableStream;
    quietOnClosedPipe(stream);
    quietOnClosedPipe(stream);
    expect(stream.listenerCount('error')).toBe(1);
    expect(() => stream.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }))).not.toThrow();
    expect(() => stream.emit('error', Object.assign(new Error('no space left on device'), { code: 'ENOSPC' }))).toThrow('no space left on device');
  });
});
