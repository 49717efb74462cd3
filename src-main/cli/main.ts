import { Command, CommanderError } from 'commander';
import { RosterError } from '../../src-shared/result';
import { CLI_VERSION, type GlobalOptions } from './context';
import { processOutput, quietOnClosedPipe, type Output } from './output';
import { exportCommands } from './export-commands';
import { realmCommands } from './realm-commands';
import { sheetCommands } from './sheet-commands';
import { auditCommands, fieldCommands, roleCommands } from './settings-commands';
import { syncCommands } from './sync-commands';
import { userCommands } from './user-commands';

/** Exit codes: 0 done, 1 the operation failed (message on stderr), 2 the command line was wrong. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** Builds the `roster` program. */
export function buildProgram(output: Output): Command {
  const program = new Command('roster')
    .description('Roster: reconcile a local user store with LDAP directories (read-only towards the directories).')
    .version(CLI_VERSION)
    .option('--data-dir <DIR>', "data folder (default: $ROSTER_DATA_DIR, else the app's data folder)")
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => output.out(s.trimEnd()), writeErr: (s) => output.err(s.trimEnd()) });
  const global = (): GlobalOptions => program.opts<GlobalOptions>();
  program.addCommand(realmCommands(global, output));
  program.addCommand(userCommands(global, output));
  program.addCommand(roleCommands(global, output));
  program.addCommand(fieldCommands(global, output));
  program.addCommand(auditCommands(global, output));
  for (const command of syncCommands(global, output)) program.addCommand(command);
  for (const command of exportCommands(global, output)) program.addCommand(command);
  program.addCommand(sheetCommands(global, output));
  // Subcommands inherit the error handling and the --data-dir option position-independently.
  for (const command of program.commands) {
    command.exitOverride().configureOutput(program.configureOutput());
    if (command.commands.length === 0) command.option('--data-dir <DIR>', 'data folder');
    for (const sub of command.commands) sub.exitOverride().configureOutput(program.configureOutput()).option('--data-dir <DIR>', 'data folder');
  }
  program.hook('preAction', (_root, action) => {
    const local = action.opts<GlobalOptions>().dataDir;
    if (local) program.setOptionValue('dataDir', local);
  });
  return program;
}

/** Runs the CLI; returns the exit code instead of exiting so tests can call it in-process. */
export async function main(argv: string[], output: Output = processOutput): Promise<number> {
  if (output === processOutput) for (const stream of [process.stdout, process.stderr]) quietOnClosedPipe(stream);
  const program = buildProgram(output);
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
