import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { electronBinary } from './fixtures/app';
import { electronRunLine } from './fixtures/electron-run';

/** Says once, up front, how the run will go: the list reporter does not print skip reasons. */
export default function globalSetup(): void {
  // First, so a CI run without Electron (ROSTER_REQUIRE_ELECTRON=1) says so whatever else is missing.
  const electron = electronRunLine(electronBinary(), process.env);
  const renderer = join(import.meta.dirname, '../out/renderer/index.html');
  if (!existsSync(renderer)) throw new Error(`The renderer is not built (${renderer} is missing): run \`npm run build\` first, or use \`npm test\`.`);
  process.stdout.write(`${electron}\n`);
}
