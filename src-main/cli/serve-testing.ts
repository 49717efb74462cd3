import type { Command } from 'commander';
import type { GlobalOptions } from './context';
import { buildProgram, runProgram } from './main';
import type { Output } from './output';
import { serveCommand, type ServeDeps } from './serve-command';

/**
 * The `roster` program with `serve` wired as buildProgram wires its commands (error handling, output, help,
 * --data-dir) and run with main's exit codes, with what a test may replace (ServeDeps). Once main.ts registers
 * serve itself, that one is swapped for this one.
 */
export async function runWithServe(argv: string[], output: Output, deps: ServeDeps = {}): Promise<number> {
  const program = buildProgram(output);
  const wired = program.commands.findIndex((command) => command.name() === 'serve');
  if (wired >= 0) (program.commands as Command[]).splice(wired, 1);
  const global = (): GlobalOptions => program.opts<GlobalOptions>();
  const serve = serveCommand(global, output, deps);
  program.addCommand(serve);
  serve
    .exitOverride()
    .configureOutput(program.configureOutput())
    .configureHelp(program.configureHelp())
    .showHelpAfterError("(run 'roster serve --help' for usage)")
    .option('--data-dir <DIR>', 'data folder (see roster --help)');
  return runProgram(program, argv, output);
}
