/** Writes lines to stdout; the CLI's only way to speak, so tests can capture it. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
}

// Streams whose reader has gone away: nothing more is written to them.
const closedPipes = new WeakSet<NodeJS.EventEmitter>();
const watchedPipes = new WeakSet<NodeJS.EventEmitter>();

/**
 * A closed pipe (`roster users list --json | head -c 10`) ends the output quietly, as standard tools do:
 * the rest is dropped instead of crashing with an EPIPE stack trace, and the exit code stays the command's
 * own. The command still finishes what it was doing, so a store write is never cut halfway. Other write
 * errors are not hidden.
 */
export function quietOnClosedPipe(stream: NodeJS.WritableStream): void {
  if (watchedPipes.has(stream)) return;
  watchedPipes.add(stream);
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    closedPipes.add(stream);
  });
}

/** Writes unless the stream's reader has gone. */
function writeTo(stream: NodeJS.WritableStream, text: string): void {
  if (!closedPipes.has(stream)) stream.write(text);
}

/** The process's own stdout/stderr. */
export const processOutput: Output = {
  out: (text) => writeTo(process.stdout, `${text}\n`),
  err: (text) => writeTo(process.stderr, `${text}\n`),
};

/** A plain-text table with aligned columns (no borders: easy to grep and paste). */
export function table(headers: string[], rows: string[][]): string {
  // A loop, not Math.max(...rows): a report of 200,000 rows as arguments overflows the stack.
  const widths = headers.map((h) => h.length);
  for (const row of rows) widths.forEach((w, i) => (widths[i] = Math.max(w, (row[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
