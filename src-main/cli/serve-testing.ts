import { CommanderError, type Command } from 'commander';
import { RosterError } from '../../src-shared/result';
import type { GlobalOptions } from './context';
import { buildProgram, EXIT } from './main';
import type { Output } from './output';
import { serveCommand, type ServeDeps } from './serve-command';

/**
 * The `roster` program with `serve` wired as main.ts wires its commands (`program.addCommand(serveCommand(global,
 * output))` inside buildProgram, which adds --data-dir, the error handling and the output), and main()'s exit
 * codes, with what a test may replace (ServeDeps).
 */
export async function runWithServe(argv: string[], output: Output, deps: ServeDeps = {}): Promise<number> {
  const program = buildProgram(output);
  // Once main.ts registers serve, this one (with the test's deps) takes its place.
  const wired = program.commands.findIndex((command) => command.name() === 'serve');
  if (wired >= 0) (program.commands as Command[]).splice(wired, 1);
  const global = (): GlobalOptions => program.opts<GlobalOptions>();
  const serve = serveCommand(global, output, deps);
  program.addCommand(serve);
  serve.exitOverride().configureOutput(program.configureOutput()).option('--data-dir <DIR>', 'data folder');
  try {
    await program.parseAsync(argv);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof RosterError) {
      output.err(`roster: ${error.message}`);
      return EXIT.failed;
    }
    output.err(`roster: unexpected error: ${(error as Error)?.stack ?? String(error)}`);
    return EXIT.failed;
  }
}
