import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { seedRealmUsers } from '../e2e/fixtures/users';
import { exportRequestSchema, type ExportFormat, type ExportContent } from '../src-shared/model/export';
import { SessionSecretStore } from '../src-main/core/secrets/secret-store';
import { openServices } from '../src-main/core/services';
import { cellText } from '../src-main/core/export/document';
import { exportColumns } from '../src-main/core/export/columns';

/** One export case: Roster's time and file size. */
export interface ExportCase {
  format: ExportFormat;
  content: ExportContent;
  users: number;
  ms: number;
  mb: number;
  ratio: number;
}

export interface ExportBenchResult {
  users: number;
  columns: number;
  /** The floor: the same cells as text, stringified by csv-stringify in one call and written in one write. */
  referenceMs: number;
  cases: ExportCase[];
}

const round = (n: number) => Math.round(n * 10) / 10;

/**
 * Exports `count` users (every column) through the export service in each format, against a reference in
 * the same run: the same rows turned into text and written as one CSV with csv-stringify's sync API (no
 * typing, no neutralising, no streaming, no progress, no audit). The ratio says what Roster's extra work costs.
 */
export async function benchExport(count: number): Promise<ExportBenchResult> {
  const dir = await mkdtemp(join(tmpdir(), 'roster-bench-export-'));
  try {
    await seedRealmUsers(dir, count, { externalEvery: 1 });
    const services = await openServices({ dataDir: dir, owner: 'bench', transport: 'cli', secrets: new SessionSecretStore('bench'), version: 'bench' });
    try {
      const fields = services.users.fields();
      const columns = exportColumns(fields);
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
      await writeFile(join(dir, 'reference.csv'), stringify([columns.map((c) => c.key), ...rows]));
      const referenceMs = performance.now() - started;

      const cases: ExportCase[] = [];
      const plan: Array<[ExportFormat, ExportContent]> = [
        ['csv', 'snapshot'],
        ['xlsx', 'snapshot'],
        ['ldif', 'snapshot'],
        ['ldif', 'changes'],
        ['xlsx', 'changes'],
      ];
      for (const [format, content] of plan) {
        const path = join(dir, `${format}-${content}`);
        const request = exportRequestSchema.parse({ format, content, path, columns: columns.map((c) => c.key), overwrite: true });
        const t0 = performance.now();
        const result = await services.exporter.run(request);
        const ms = performance.now() - t0;
        const bytes = (await Promise.all(result.files.map((f) => stat(f)))).reduce((sum, s) => sum + s.size, 0);
        cases.push({ format, content, users: result.users, ms: Math.round(ms), mb: round(bytes / 1e6), ratio: round(ms / referenceMs) });
      }
      return { users: count, columns: columns.length, referenceMs: Math.round(referenceMs), cases };
    } finally {
      await services.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
