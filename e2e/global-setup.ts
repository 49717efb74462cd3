import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { electronBinary } from './fixtures/app';

/** Says once, up front, how the run will go: the list reporter does not print skip reasons. */
export default function globalSetup(): void {
  const renderer = join(import.meta.dirname, '../out/renderer/index.html');
  if (!existsSync(renderer)) throw new Error(`The renderer is not built (${renderer} is missing): run \`npm run build\` first, or use \`npm test\`.`);
  const electron = electronBinary();
  process.stdout.write('reason' in electron ? `[electron] project skipped: ${electron.reason}.\n` : `[electron] project runs with ${electron.path}.\n`);
}
