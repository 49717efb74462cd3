// .github/workflows/ci.yml: valid for GitHub (checked by action-validator against the workflow schema), and doing
// what Roster's CI promises: every test in Debian with Electron really running, installers and a smoke test on
// Windows and macOS. The validator is run for real, on the file and on broken copies of it.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMap, isScalar, parse, parseDocument } from 'yaml';

const ROOT = resolve(import.meta.dirname, '..');
const WORKFLOW = join(ROOT, '.github/workflows/ci.yml');
const SOURCE = readFileSync(WORKFLOW, 'utf8');

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, string | number>;
}
interface Job {
  'runs-on': string;
  container?: { image: string; options?: string };
  env?: Record<string, string>;
  strategy?: { matrix: { include: Array<Record<string, string>> } };
  defaults?: { run?: { shell?: string } };
  steps: Step[];
}
const workflow = parse(SOURCE) as { jobs: Record<string, Job> };
const packageScripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

/** The validator's command line script, as its package's `bin` names it. */
function validatorScript(): string {
  const manifest = createRequire(import.meta.url).resolve('@action-validator/cli/package.json');
  const { bin } = JSON.parse(readFileSync(manifest, 'utf8')) as { bin: Record<string, string> };
  return join(dirname(manifest), bin['action-validator']!);
}

interface ValidatorError {
  code: string;
  path: string;
  detail?: string;
  states?: Array<{ errors: ValidatorError[] }>;
}
/** Runs action-validator on a file: its exit code, output, and the errors it reported (JSON on stderr). */
function validate(file: string): Promise<{ code: number | null; stdout: string; stderr: string; errors: ValidatorError[] }> {
  return new Promise((done) => {
    execFile(process.execPath, [validatorScript(), file], { cwd: ROOT }, (error, stdout, stderr) => {
      let errors: ValidatorError[] = [];
      try {
        errors = (JSON.parse(stderr) as { errors: ValidatorError[] }).errors;
      } catch {
        // not a report: left empty, and the expectations below say so
      }
      done({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr, errors });
    });
  });
}

/** Every error of a report, those nested in one-of alternatives included, as "path: detail". */
const problems = (errors: ValidatorError[]): string[] =>
  errors.flatMap((e) => [`${e.path}: ${e.detail ?? e.code}`, ...problems((e.states ?? []).flatMap((s) => s.errors))]);

const runs = (job: Job): string[] => job.steps.flatMap((s) => (s.run === undefined ? [] : [s.run.trim()]));
/** The index of the first step whose run command is exactly `command`; fails the test when there is none. */
function stepIndex(job: Job, command: string): number {
  const index = job.steps.findIndex((s) => s.run?.trim() === command);
  expect(runs(job), `a step runs \`${command}\``).toContain(command);
  return index;
}
/** `npm run NAME` (and `npm test`) must name scripts package.json has. */
function npmScriptsOf(job: Job): string[] {
  return runs(job).flatMap((r) => [...r.matchAll(/\bnpm (?:run ([\w:-]+)|(test))\b/g)].map((m) => (m[1] ?? m[2])!));
}

describe('action-validator', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'roster-workflow-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('finds .github/workflows/ci.yml valid', async () => {
    const result = await validate(WORKFLOW);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('refuses a copy whose linux job has no runs-on, naming it', async () => {
    const doc = parseDocument(SOURCE);
    expect(doc.deleteIn(['jobs', 'linux', 'runs-on'])).toBe(true);
    const file = join(dir, 'no-runs-on.yml');
    await writeFile(file, doc.toString());
    const result = await validate(file);
    expect(result.code).toBe(1);
    expect(problems(result.errors)).toContain('/jobs/linux/runs-on: required');
  });

  it('refuses a copy with a misspelt key, naming it', async () => {
    const doc = parseDocument(SOURCE);
    const job = doc.getIn(['jobs', 'installers']);
    if (!isMap(job)) throw new Error('jobs.installers is not a mapping');
    const pair = job.items.find((p) => isScalar(p.key) && p.key.value === 'timeout-minutes');
    if (!pair || !isScalar(pair.key)) throw new Error('jobs.installers has no timeout-minutes');
    pair.key.value = 'timeout-minuets';
    const file = join(dir, 'misspelt.yml');
    await writeFile(file, doc.toString());
    const result = await validate(file);
    expect(result.code).toBe(1);
    expect(problems(result.errors)).toContain("/jobs/installers: Additional property 'timeout-minuets' is not allowed");
  });

  it('refuses a copy that is not YAML (a tab in the indentation), saying where', async () => {
    const file = join(dir, 'broken.yml');
    const lines = SOURCE.split('\n');
    const at = lines.indexOf('  linux:');
    expect(at).toBeGreaterThan(0);
    lines[at] = '\tlinux:';
    await writeFile(file, lines.join('\n'));
    const result = await validate(file);
    expect(result.code).toBe(1);
    expect(result.errors).toEqual([
      expect.objectContaining({ code: 'parse_error', detail: expect.stringContaining(`cannot start any token at line ${at + 1} column 1`) }),
    ]);
  });
});

describe('the linux job', () => {
  const linux = workflow.jobs.linux!;

  it("runs in Debian bookworm, root with the privileges Samba's AD DC provisioning needs and room in /dev/shm", () => {
    expect(linux['runs-on']).toBe('ubuntu-latest');
    expect(linux.container?.image).toBe('debian:bookworm');
    expect(linux.container?.options?.split(/\s+/)).toEqual(expect.arrayContaining(['--privileged', '--shm-size=2g']));
  });

  it('installs the system tools with scripts/system-tools.sh, then Xvfb and the libraries Electron loads', () => {
    const tools = stepIndex(linux, 'bash scripts/system-tools.sh install');
    expect(existsSync(join(ROOT, 'scripts/system-tools.sh'))).toBe(true);
    const libraries = linux.steps.findIndex((s) => /apt-get install/.test(s.run ?? '') && /\bxvfb\b/.test(s.run ?? ''));
    expect(libraries).toBeGreaterThan(tools);
    const packages = linux.steps[libraries]!.run!.split(/\s+/);
    for (const name of [
      'xvfb',
      'xauth',
      'libnss3',
      'libgtk-3-0',
      'libgbm1',
      'libasound2',
      'libxss1',
      'libxtst6',
      'libatk-bridge2.0-0',
      'libcups2',
      'libdrm2',
    ]) {
      expect(packages).toContain(name);
    }
  });

  it('runs npm ci, checks the Electron binary, then typecheck, lint and npm test under xvfb-run, in that order', () => {
    const ci = linux.steps.findIndex((s) => s.run?.trim().startsWith('npm ci'));
    const binary = linux.steps.findIndex((s) => s.run?.includes("require('electron')"));
    const order = [ci, binary, stepIndex(linux, 'npm run typecheck'), stepIndex(linux, 'npm run lint'), stepIndex(linux, 'xvfb-run -a npm test')];
    expect(ci).toBeGreaterThanOrEqual(0);
    expect(binary).toBeGreaterThan(ci);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    for (const name of npmScriptsOf(linux)) expect(packageScripts, `npm script ${name}`).toHaveProperty(name);
  });

  it('has the electron project run, not skip: a missing binary is an error; the npm cache kept', () => {
    expect(linux.env).toMatchObject({ ROSTER_REQUIRE_ELECTRON: '1' });
    expect(linux.env).not.toHaveProperty('ELECTRON_SKIP_BINARY_DOWNLOAD');
    const node = linux.steps.find((s) => s.uses?.startsWith('actions/setup-node@'));
    expect(node?.with).toMatchObject({ 'node-version': 20, cache: 'npm' });
  });

  it('uploads the Playwright report and test results when it fails', () => {
    const upload = linux.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(upload?.if).toBe('failure()');
    expect(String(upload?.with?.path).split('\n').filter(Boolean)).toEqual(['playwright-report/', 'test-results/']);
  });
});

describe('the installers job', () => {
  const installers = workflow.jobs.installers!;

  it('runs on Windows and on macOS, in bash (PowerShell would swallow @smoke)', () => {
    expect(installers['runs-on']).toBe('${{ matrix.os }}');
    expect(installers.strategy?.matrix.include.map((m) => m.os)).toEqual(['windows-latest', 'macos-latest']);
    expect(installers.defaults?.run?.shell).toBe('bash');
  });

  it('builds unsigned installers with npm run dist, publishing nothing, and uploads them', () => {
    expect(installers.env).toMatchObject({ CSC_IDENTITY_AUTO_DISCOVERY: 'false', ROSTER_REQUIRE_ELECTRON: '1' });
    const dist = stepIndex(installers, 'npm run dist -- --publish never');
    const upload = installers.steps.findIndex((s) => s.uses?.startsWith('actions/upload-artifact@') && s.if === undefined);
    expect(upload).toBeGreaterThan(dist);
    expect(installers.steps[upload]!.with).toMatchObject({ path: '${{ matrix.installers }}', 'if-no-files-found': 'error' });
    expect(installers.strategy?.matrix.include.map((m) => m.installers)).toEqual(['dist/*.exe', 'dist/*.dmg']);
    for (const name of npmScriptsOf(installers)) expect(packageScripts, `npm script ${name}`).toHaveProperty(name);
  });

  it('then runs the @smoke spec in the electron project, which exists and is tagged', () => {
    const dist = stepIndex(installers, 'npm run dist -- --publish never');
    expect(stepIndex(installers, 'npx playwright test --project=electron --grep @smoke')).toBeGreaterThan(dist);
    expect(readFileSync(join(ROOT, 'e2e/smoke.spec.ts'), 'utf8')).toMatch(/^test\('@smoke /m);
    const failed = installers.steps.find((s) => s.if === 'failure()');
    expect(String(failed?.with?.path).split('\n').filter(Boolean)).toEqual(['playwright-report/', 'test-results/']);
  });
});
