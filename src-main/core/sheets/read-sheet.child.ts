// Reads one sheet in a process of its own and prints what came of it as JSON, so a test can hold the read to a
// heap size (node --max-old-space-size) and see it finish or run out: a bound that does not depend on speed.
import { readSheet } from './read-sheet';

const path = process.argv[2] ?? '';
const outcome = await readSheet(path).then(
  (sheet) => ({ headers: sheet.headers, rows: sheet.rows.length, last: sheet.rows.at(-1) }),
  (error: unknown) => {
    const { code, message } = error as { code?: string; message?: string };
    return { error: { code, message } };
  },
);
process.stdout.write(`${JSON.stringify(outcome)}\n`);
