// `roster --help`, `--version`, usage errors and unexpected errors: what a person (or a script) sees.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultDataDir } from '../core/paths';
import { buildProgram, EXIT, EXIT_MEANINGS, HELP_WIDTH, main, runProgram } from './main';
import type { Output } from './output';

const ROOT = resolve(import.meta.dirname, '../..');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** An Output that keeps what it is given, line by line. */
function capture(): Output & { outLines: string[]; errLines: string[] } {
  const outLines: string[] = [];
  const errLines: string[] = [];
  return {
    outLines,
    errLines,
    out: (text) => outLines.push(...text.split('\n')),
    err: (text) => errLines.push(...text.split('\n')),
  };
}

/** Runs `roster ARGS` in-process. */
async function roster(...args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const output = capture();
  const code = await main(['node', 'roster', ...args], output);
  return { code, out: output.outLines, err: output.errLines };
}

/** The program's commands, each with the words that reach it (`['realm', 'add']`). */
function allCommands(): Array<{ path: string[]; command: Command }> {
  const found: Array<{ path: string[]; command: Command }> = [];
  const walk = (parent: Command, path: string[]) => {
    for (const command of parent.commands) {
      found.push({ path: [...path, command.name()], command });
      walk(command, [...path, command.name()]);
    }
  };
  walk(buildProgram(capture()), []);
  return found;
}

/** The lines of a help section, from its heading to the next blank line. */
function section(lines: string[], heading: string): string[] {
  const start = lines.indexOf(heading);
  expect(start, `the help has a "${heading}" section`).toBeGreaterThanOrEqual(0);
  const end = lines.indexOf('', start);
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

/** Checks that a help's Commands section lists each of `command`'s subcommands on exactly one line, then help. */
function expectOneLineEach(lines: string[], command: Command) {
  const listed = section(lines, 'Commands:');
  const names = command.commands.map((c) => c.name());
  expect(listed.map((line) => /^ {2}(\S+)/.exec(line)?.[1])).toEqual([...names, 'help']);
  command.commands.forEach((sub, i) => {
    const text = sub.summary() || sub.description();
    expect(listed[i]!.endsWith(`  ${text}`), `"${listed[i]}" ends with the summary of ${sub.name()}`).toBe(true);
  });
}

describe('roster --version', () => {
  it("prints package.json's version and nothing else, exit 0 (-V too)", async () => {
    for (const flag of ['--version', '-V']) expect(await roster(flag)).toEqual({ code: 0, out: [VERSION], err: [] });
  });

  it('says so as a process too', async () => {
    const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((done, fail) =>
      execFile(process.execPath, ['bin/roster.mjs', '--version'], { cwd: ROOT }, (error, stdout, stderr) => (error ? fail(error) : done({ stdout, stderr }))),
    );
    expect([stdout, stderr]).toEqual([`${VERSION}\n`, '']);
  });
});

describe('roster --help', () => {
  it('lists every command of the program on one line, with its summary', async () => {
    const { code, out, err } = await roster('--help');
    expect([code, err]).toEqual([EXIT.ok, []]);
    const program = buildProgram(capture());
    // Each top-level command says what it is in one line: a command added without .summary() fails here.
    for (const command of program.commands) expect(command.summary(), `roster ${command.name()} has a summary`).not.toBe('');
    expectOneLineEach(out, program);
  });

  it('lists the subcommands of each group on one line each', async () => {
    const groups = buildProgram(capture()).commands.filter((command) => command.commands.length > 0);
    expect(groups.map((g) => g.name())).toEqual(expect.arrayContaining(['realm', 'users', 'roles', 'fields', 'audit']));
    for (const group of groups) {
      const { code, out } = await roster(group.name(), '--help');
      expect(code).toBe(EXIT.ok);
      expectOneLineEach(out, group);
    }
  });

  it(`keeps every line of every command's help within ${HELP_WIDTH} columns`, async () => {
    const commands = allCommands();
    expect(commands.length).toBeGreaterThan(30);
    for (const path of [[], ...commands.map((c) => c.path)]) {
      const { out } = await roster(...path, '--help');
      const long = out.filter((line) => line.length > HELP_WIDTH);
      expect(long, `roster ${path.join(' ')} --help`).toEqual([]);
    }
  });

  it("is as wide whatever the terminal's width", async () => {
    const stdout = process.stdout as NodeJS.WriteStream & { isTTY: boolean; columns: number };
    const saved = { isTTY: stdout.isTTY, columns: stdout.columns };
    const widths: string[][] = [];
    try {
      for (const columns of [40, 200]) {
        Object.assign(stdout, { isTTY: true, columns });
        widths.push((await roster('users', '--help')).out);
      }
    } finally {
      Object.assign(stdout, saved);
    }
    expect(widths[0]).toEqual((await roster('users', '--help')).out);
    expect(widths[1]).toEqual(widths[0]);
  });

  it('ends with the exit codes, as EXIT has them, after where the data folder is', async () => {
    const { out } = await roster('--help');
    const codes = section(out, 'Exit codes:');
    expect(out.slice(-codes.length - 1)).toEqual(['Exit codes:', ...codes]);
    expect(codes).toEqual(Object.entries(EXIT).map(([name, code]) => `  ${code}  ${EXIT_MEANINGS[name as keyof typeof EXIT]}`));
    expect(codes.map((line) => Number(line.trim().split(' ')[0]))).toEqual([0, 1, 2]);
    expect(EXIT_MEANINGS).toMatchObject({ ok: 'done', failed: expect.stringContaining('failed'), usage: expect.stringContaining('command line was wrong') });

    const folder = section(out, "Data folder (the app's own store, shared with it; one writer at a time):");
    expect(folder[0]).toBe("  --data-dir DIR, else $ROSTER_DATA_DIR, else the app's data folder:");
    // The folders named are the ones defaultDataDir picks.
    const home = (path: string) => path.replace(homedir(), '~');
    expect(folder.slice(1)).toEqual([
      `  Linux    ${defaultDataDir({ XDG_CONFIG_HOME: '$XDG_CONFIG_HOME' }, 'linux')} (by default ${home(defaultDataDir({}, 'linux'))})`,
      `  macOS    ${home(defaultDataDir({}, 'darwin'))}`,
      `  Windows  ${defaultDataDir({ APPDATA: '%APPDATA%' }, 'win32').replaceAll('/', '\\')}`,
    ]);
  });
});

describe('usage errors (exit 2)', () => {
  it('an unknown command: the suggestion and where the usage is, no help dump', async () => {
    expect(await roster('user')).toEqual({
      code: EXIT.usage,
      out: [],
      err: ["error: unknown command 'user'", '(Did you mean users?)', "(run 'roster --help' for usage)"],
    });
    expect(await roster('realm', 'ad')).toEqual({
      code: EXIT.usage,
      out: [],
      err: ["error: unknown command 'ad'", '(Did you mean add?)', "(run 'roster realm --help' for usage)"],
    });
  });

  it("a missing option names it and the command's own help", async () => {
    expect(await roster('realm', 'add', '--name', 'X')).toEqual({
      code: EXIT.usage,
      out: [],
      err: ["error: required option '--kind <KIND>' not specified", "(run 'roster realm add --help' for usage)"],
    });
  });
});

describe('an unexpected error (exit 1)', () => {
  const saved = process.env.ROSTER_DEBUG;
  afterEach(() => {
    if (saved === undefined) delete process.env.ROSTER_DEBUG;
    else process.env.ROSTER_DEBUG = saved;
  });

  /** The real program with one more command that fails as no Roster code expects. */
  async function failing(thrown: () => unknown, env: NodeJS.ProcessEnv | undefined) {
    const output = capture();
    const program = buildProgram(output);
    program.command('boom').action(async () => {
      await Promise.resolve();
      throw thrown();
    });
    const code = await runProgram(program, ['node', 'roster', 'boom'], output, ...(env ? [env] : []));
    return { code, out: output.outLines, err: output.errLines };
  }

  it('is one line: its name and message, control characters escaped, and how to see the stack; no stack frames', async () => {
    const result = await failing(() => new TypeError('cannot read \u001b[31mred\u001b[0m\nsecond line\r'), {});
    expect(result).toEqual({
      code: EXIT.failed,
      out: [],
      err: [
        'roster: unexpected error: TypeError: cannot read \\x1b[31mred\\x1b[0m\\x0asecond line\\x0d (run again with ROSTER_DEBUG=1 to see where it happened)',
      ],
    });
  });

  it('something thrown that is not an Error is one line too', async () => {
    expect((await failing(() => ({ reason: 'odd', nested: { lines: 'a\nb' } }), {})).err).toEqual([
      "roster: unexpected error: { reason: 'odd', nested: { lines: 'a\\nb' } } (run again with ROSTER_DEBUG=1 to see where it happened)",
    ]);
  });

  it('with ROSTER_DEBUG=1 the stack trace follows the line', async () => {
    const result = await failing(() => new RangeError('out of range'), { ROSTER_DEBUG: '1' });
    expect(result.code).toBe(EXIT.failed);
    expect(result.err[0]).toBe('roster: unexpected error: RangeError: out of range');
    expect(result.err[1]).toBe('RangeError: out of range');
    expect(result.err.slice(2).every((line) => line.startsWith('    at '))).toBe(true);
    expect(result.err.some((line) => line.includes('help.test.ts'))).toBe(true);
  });

  it("reads ROSTER_DEBUG from the process's environment unless given one", async () => {
    process.env.ROSTER_DEBUG = '1';
    const result = await failing(() => new Error('from the environment'), undefined);
    expect(result.err.slice(0, 2)).toEqual(['roster: unexpected error: Error: from the environment', 'Error: from the environment']);
    expect(result.err.length).toBeGreaterThan(2);
    delete process.env.ROSTER_DEBUG;
    expect((await failing(() => new Error('from the environment'), undefined)).err).toHaveLength(1);
  });
});
