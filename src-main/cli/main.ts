import { inspect } from 'node:util';
import { Command, CommanderError, Help } from 'commander';
import { RosterError } from '#shared/result';
import { visibleText } from '../core/visible-text';
import { CLI_VERSION, type GlobalOptions } from './context';
import { processOutput, quietOnClosedPipe, type Output } from './output';
import { exportCommands } from './export-commands';
import { realmCommands } from './realm-commands';
import { serveCommand } from './serve-command';
import { sheetCommands } from './sheet-commands';
import { auditCommands, fieldCommands, roleCommands } from './settings-commands';
import { syncCommands } from './sync-commands';
import { userCommands } from './user-commands';

/** Exit codes: 0 done, 1 the operation failed (message on stderr), 2 the command line was wrong. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** What each exit code means, as `roster --help` ends by saying. */
export const EXIT_MEANINGS: Record<keyof typeof EXIT, string> = {
  ok: 'done',
  failed: 'the operation failed; one line on stderr says why',
  usage: 'the command line was wrong (unknown command or option, bad value)',
};

/** Help is this wide whatever the terminal, so it reads (and is tested) the same everywhere. */
export const HELP_WIDTH = 80;

/** Set when an unexpected error should print its stack trace. */
export const DEBUG_VARIABLE = 'ROSTER_DEBUG';

const DATA_FOLDER_HELP = [
  "Data folder (the app's own store, shared with it; one writer at a time):",
  "  --data-dir DIR, else $ROSTER_DATA_DIR, else the app's data folder:",
  '  Linux    $XDG_CONFIG_HOME/Roster (by default ~/.config/Roster)',
  '  macOS    ~/Library/Application Support/Roster',
  '  Windows  %APPDATA%\\Roster',
].join('\n');

const exitCodesHelp = (): string =>
  ['Exit codes:', ...Object.entries(EXIT).map(([name, code]) => `  ${code}  ${EXIT_MEANINGS[name as keyof typeof EXIT]}`)].join('\n');

/**
 * A command list shows a command's name and arguments and its summary, one line each: `[options]` is left to the
 * command's own help.
 */
const helpConfiguration = {
  helpWidth: HELP_WIDTH,
  subcommandTerm(this: Help, command: Command): string {
    return Help.prototype.subcommandTerm.call(this, command).replace(' [options]', '');
  },
};

/** `roster realm add`, for hints. */
const commandPath = (command: Command): string => (command.parent ? `${commandPath(command.parent)} ${command.name()}` : command.name());

/**
 * Gives a command added to the program (and its subcommands) the program's error handling, output, help layout and
 * usage hint; those that run get --data-dir too. buildProgram does this for every command it adds.
 */
export function wireCommand(program: Command, command: Command): void {
  command
    .exitOverride()
    .configureOutput(program.configureOutput())
    .configureHelp(program.configureHelp())
    .showHelpAfterError(`(run '${commandPath(command)} --help' for usage)`);
  if (command.commands.length === 0) command.option('--data-dir <DIR>', 'data folder (see roster --help)');
  for (const sub of command.commands) wireCommand(program, sub);
}

/** Builds the `roster` program. */
export function buildProgram(output: Output): Command {
  const program = new Command('roster')
    .description('Roster: reconcile a local user store with LDAP directories (read-only towards the directories).')
    .version(CLI_VERSION)
    .option('--data-dir <DIR>', 'data folder (see Data folder below)')
    .configureHelp(helpConfiguration)
    .exitOverride()
    .configureOutput({ writeOut: (s) => output.out(s.trimEnd()), writeErr: (s) => output.err(s.trimEnd()) })
    .addHelpText('after', `\n${DATA_FOLDER_HELP}\n\n${exitCodesHelp()}`);
  const global = (): GlobalOptions => program.opts<GlobalOptions>();
  program.addCommand(realmCommands(global, output));
  program.addCommand(userCommands(global, output));
  program.addCommand(roleCommands(global, output));
  program.addCommand(fieldCommands(global, output));
  program.addCommand(auditCommands(global, output));
  for (const command of syncCommands(global, output)) program.addCommand(command);
  for (const command of exportCommands(global, output)) program.addCommand(command);
  program.addCommand(sheetCommands(global, output));
  program.addCommand(serveCommand(global, output));
  // Commands are added above this line (each with a one-line .summary() for this list): the wiring below reaches
  // every one of them and their subcommands.
  // Subcommands inherit the error handling and the --data-dir option position-independently.
  program.showHelpAfterError("(run 'roster --help' for usage)");
  for (const command of program.commands) wireCommand(program, command);
  program.hook('preAction', (_root, action) => {
    const local = action.opts<GlobalOptions>().dataDir;
    if (local) program.setOptionValue('dataDir', local);
  });
  return program;
}

/** An error nobody anticipated, on one line: its name and message with control characters escaped. */
function oneLine(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : typeof error === 'string' ? error : inspect(error, { breakLength: Infinity });
  return visibleText(text);
}

/**
 * Runs a built program and turns what ends it into an exit code (EXIT): usage errors 2, Roster's errors 1 with
 * their message, anything else 1 with one line and how to see the stack trace (ROSTER_DEBUG=1).
 */
export async function runProgram(program: Command, argv: string[], output: Output, env: NodeJS.ProcessEnv = process.env): Promise<number> {
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
    if (env[DEBUG_VARIABLE] === '1') {
      output.err(`roster: unexpected error: ${oneLine(error)}`);
      output.err(error instanceof Error && error.stack ? error.stack : inspect(error));
    } else {
      output.err(`roster: unexpected error: ${oneLine(error)} (run again with ${DEBUG_VARIABLE}=1 to see where it happened)`);
    }
    return EXIT.failed;
  }
}

/** Runs the CLI; returns the exit code instead of exiting so tests can call it in-process. */
export async function main(argv: string[], output: Output = processOutput): Promise<number> {
  if (output === processOutput) for (const stream of [process.stdout, process.stderr]) quietOnClosedPipe(stream);
  return runProgram(buildProgram(output), argv, output);
}
