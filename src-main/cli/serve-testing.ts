import type { Command } from 'commander';
import type { GlobalOptions } from './context';
import { buildProgram, runProgram, wireCommand } from './main';
import type { Output } from './output';
import { serveCommand, type ServeDeps } from './serve-command';

/**
 * The `roster` program with its `serve` swapped for one given what a test may replace (ServeDeps), wired as
 * buildProgram wires its commands (error handling, output, help, --data-dir) and run with main's exit codes.
 */
export async function runWithServe(argv: string[], output: Output, deps: ServeDeps = {}): Promise<number> {
  const program = buildProgram(output);
  const wired = program.commands.findIndex((command) => command.name() === 'serve');
  if (wired >= 0) (program.commands as Command[]).splice(wired, 1);
  const global = (): GlobalOptions => program.opts<GlobalOptions>();
  const serve = serveCommand(global, output, deps);
  program.addCommand(serve);
  wireCommand(program, serve);
  return runProgram(program, argv, output);
}
