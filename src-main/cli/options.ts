import { Option, type Command } from 'commander';
import type { CliSession } from './context';

/** The password flags every command that contacts a directory takes (the CLI never stores or echoes them). */
export interface PasswordFlags {
  passwordEnv?: string;
  passwordFile?: string;
}

/** Adds `--password-env` and `--password-file` to a command. */
export const passwordOptions = (command: Command): Command =>
  command
    .addOption(new Option('--password-env <VAR>', 'read the bind password from this environment variable'))
    .addOption(new Option('--password-file <FILE>', 'read the bind password from this file (one line)'));

/**
 * Hands a password read from `--password-env`/`--password-file` to main the way the app does, on the one
 * channel that carries passwords (`realms:set-session-password`), before the command's own call reads it
 * from the session store. Nothing is stored: the command line's secret store lives as long as the command.
 */
export async function giveSessionPassword(cli: CliSession, realmId: string, password: string | undefined, remember = false): Promise<void> {
  if (password === undefined) return;
  await cli.call('realms:set-session-password', { realmId, password, ...(remember ? { remember } : {}) });
}

/** Collects a repeatable option's values. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
