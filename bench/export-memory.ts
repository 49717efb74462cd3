import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { exportRequestSchema } from '#shared/model/export';
import { SessionSecretStore } from '../src-main/core/secrets/secret-store';
import { openServices } from '../src-main/core/services';
import { exportColumns } from '../src-main/core/export/columns';

/**
 * Child process of the export bench (`node --expose-gc --import tsx bench/export-memory.ts DIR`): opens the
 * seeded data folder, then writes the XLSX snapshot of every user and prints, as one JSON line, the resident
 * set size just before and the highest one sampled at each progress report. A process of its own, so the
 * memory of seeding or of other cases is not counted, nor reused by this export without showing.
 */
const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: export-memory.ts DATA_DIR');
const services = await openServices({ dataDir, owner: 'bench', transport: 'cli', secrets: new SessionSecretStore('bench'), version: 'bench' });
try {
  const columns = exportColumns(services.users.fields());
  const path = join(dataDir, 'memory.xlsx');
  const request = exportRequestSchema.parse({ format: 'xlsx', content: 'snapshot', path, columns: columns.map((c) => c.key), overwrite: true });
  (globalThis as { gc?: () => void }).gc?.();
  const rssBefore = process.memoryUsage.rss();
  let rssPeak = rssBefore;
  const sample = () => (rssPeak = Math.max(rssPeak, process.memoryUsage.rss()));
  const started = performance.now();
  const result = await services.exporter.run(request, { signal: new AbortController().signal, progress: sample });
  const ms = performance.now() - started;
  sample();
  const bytes = (await stat(path)).size;
  process.stdout.write(`${JSON.stringify({ users: result.users, ms, bytes, rssBefore, rssPeak, maxRss: process.resourceUsage().maxRSS * 1024 })}\n`);
} finally {
  await services.close();
}
