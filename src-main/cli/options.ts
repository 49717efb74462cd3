import { Option, type Command } from 'commander';

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

/** Collects a repeatable option's values. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
