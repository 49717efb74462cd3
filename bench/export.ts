import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { seedRealmUsers } from '../e2e/fixtures/users';
import { exportRequestSchema, type ExportFormat, type ExportContent } from '#shared/model/export';
import { SessionSecretStore } from '../src-main/core/secrets/secret-store';
import { openServices, type Services } from '../src-main/core/services';
import { cellText } from '../src-main/core/export/document';
import { exportColumns } from '../src-main/core/export/columns';

/** One export case: Roster's time (median of its rounds) and file size. */
export interface ExportCase {
  format: ExportFormat;
  content: ExportContent;
  users: number;
  ms: number;
  mb: number;
  /** Median of each round's time / the reference of the same round (CSV), else ms / the reference's median. */
  ratio: number;
  rounds: number[];
}

/** Memory while an XLSX snapshot is written: resident set size just before, and the highest seen during it. */
export interface ExportMemory {
  users: number;
  ms: number;
  rssBeforeMb: number;
  rssPeakMb: number;
  /** Peak minus before: what the export itself holds. Flat means it does not grow with the rows. */
  growthMb: number;
  /** The process's highest resident set size (opening the store included). */
  maxRssMb: number;
}

export interface ExportBenchResult {
  users: number;
  columns: number;
  /** The floor (median): the same cells as text, stringified by csv-stringify in one call and written in one write. */
  referenceMs: number;
  referenceRounds: number[];
  /** The first reference and CSV export after opening the store (not in the medians). */
  cold: { referenceMs: number; csvMs: number };
  cases: ExportCase[];
  memory: ExportMemory[];
}

const execFileAsync = promisify(execFile);
const round1 = (n: number) => Math.round(n * 10) / 10;
const round2 = (n: number) => Math.round(n * 100) / 100;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const mb = (bytes: number) => round1(bytes / 1e6);

async function withSeededServices<T>(count: number, work: (services: Services, dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'roster-bench-export-'));
  try {
    await seedRealmUsers(dir, count, { externalEvery: 1 });
    const services = await openServices({ dataDir: dir, owner: 'bench', transport: 'cli', secrets: new SessionSecretStore('bench'), version: 'bench' });
    try {
      return await work(services, dir);
    } finally {
      await services.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The XLSX snapshot of `users` users in a process of its own (see export-memory.ts): time and resident set size. */
async function measureMemory(users: number): Promise<ExportMemory> {
  const dir = await mkdtemp(join(tmpdir(), 'roster-bench-export-memory-'));
  try {
    await seedRealmUsers(dir, users, { externalEvery: 1 });
    const { stdout } = await execFileAsync(process.execPath, ['--expose-gc', '--import', 'tsx', join(import.meta.dirname, 'export-memory.ts'), dir], {
      maxBuffer: 1 << 20,
    });
    const run = JSON.parse(stdout.trim().split('\n').at(-1)!) as { users: number; ms: number; rssBefore: number; rssPeak: number; maxRss: number };
    if (run.users !== users) throw new Error(`exported ${run.users} users, expected ${users}`);
    return {
      users,
      ms: Math.round(run.ms),
      rssBeforeMb: mb(run.rssBefore),
      rssPeakMb: mb(run.rssPeak),
      growthMb: mb(run.rssPeak - run.rssBefore),
      maxRssMb: mb(run.maxRss),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The reference: every user's cells as text, csv-stringify's sync API over all of them, one write. */
async function reference(services: Services, file: string): Promise<number> {
  const columns = exportColumns(services.users.fields());
  const users = [...services.userStore.all()];
  const started = performance.now();
  const rows = users.map((user) =>
    columns.map((c) =>
      cellText(
        c.value({ user, changes: [] }, (id) => id),
        ' | ',
      ),
    ),
  );
  await writeFile(file, stringify([columns.map((c) => c.key), ...rows]));
  return performance.now() - started;
}

/** One export through the export service, as the app and `roster export` run it. */
async function exportOnce(
  services: Services,
  dir: string,
  format: ExportFormat,
  content: ExportContent,
): Promise<{ ms: number; bytes: number; users: number }> {
  const columns = exportColumns(services.users.fields());
  const path = join(dir, `${format}-${content}`);
  const request = exportRequestSchema.parse({ format, content, path, columns: columns.map((c) => c.key), overwrite: true });
  const t0 = performance.now();
  const result = await services.exporter.run(request);
  const ms = performance.now() - t0;
  const bytes = (await Promise.all(result.files.map((f) => stat(f)))).reduce((sum, s) => sum + s.size, 0);
  return { ms, bytes, users: result.users };
}

/**
 * Exports `count` users (every column) through the export service in each format, against a reference in
 * the same run: the same rows turned into text and written as one CSV with csv-stringify's sync API (no
 * typing, no neutralising, no streaming, no progress, no audit). The ratio says what Roster's extra work
 * costs. The reference and the CSV export alternate for `rounds` rounds (medians, and the median of each
 * round's ratio); the XLSX snapshot runs three times; then the XLSX snapshot of twice as many users says whether
 * memory stays flat.
 */
export async function benchExport(count: number, rounds = 5): Promise<ExportBenchResult> {
  const memory: ExportMemory[] = [];
  const result = await withSeededServices(count, async (services, dir) => {
    const columns = exportColumns(services.users.fields());
    // Once each first, kept apart: the first export right after opening the store also builds the list's
    // order and indexes (the app has done that by the time anyone exports) and warms the JIT.
    const coldReferenceMs = await reference(services, join(dir, 'reference.csv'));
    const coldCsvMs = (await exportOnce(services, dir, 'csv', 'snapshot')).ms;

    const referenceRounds: number[] = [];
    const csvRounds: Array<{ ms: number; ratio: number; bytes: number; users: number }> = [];
    for (let i = 0; i < rounds; i += 1) {
      const ref = await reference(services, join(dir, 'reference.csv'));
      const csv = await exportOnce(services, dir, 'csv', 'snapshot');
      referenceRounds.push(ref);
      csvRounds.push({ ms: csv.ms, ratio: csv.ms / ref, bytes: csv.bytes, users: csv.users });
    }
    const referenceMs = median(referenceRounds);
    const cases: ExportCase[] = [
      {
        format: 'csv',
        content: 'snapshot',
        users: csvRounds[0]!.users,
        ms: Math.round(median(csvRounds.map((r) => r.ms))),
        mb: mb(csvRounds[0]!.bytes),
        ratio: round2(median(csvRounds.map((r) => r.ratio))),
        rounds: csvRounds.map((r) => Math.round(r.ms)),
      },
    ];
    const plan: Array<[ExportFormat, ExportContent, number]> = [
      ['xlsx', 'snapshot', 3],
      ['ldif', 'snapshot', 1],
      ['ldif', 'changes', 1],
      ['xlsx', 'changes', 1],
    ];
    for (const [format, content, times] of plan) {
      const runs = [];
      for (let i = 0; i < times; i += 1) runs.push(await exportOnce(services, dir, format, content));
      const ms = median(runs.map((r) => r.ms));
      cases.push({
        format,
        content,
        users: runs[0]!.users,
        ms: Math.round(ms),
        mb: mb(runs[0]!.bytes),
        ratio: round2(ms / referenceMs),
        rounds: runs.map((r) => Math.round(r.ms)),
      });
    }
    return {
      users: count,
      columns: columns.length,
      referenceMs: Math.round(referenceMs),
      referenceRounds: referenceRounds.map(Math.round),
      cold: { referenceMs: Math.round(coldReferenceMs), csvMs: Math.round(coldCsvMs) },
      cases,
      memory,
    };
  });
  for (const users of [count, count * 2]) memory.push(await measureMemory(users));
  return result;
}
