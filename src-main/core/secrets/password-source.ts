import { readFile } from 'node:fs/promises';
import { RosterError } from '#shared/result';

/** Where the CLI may take a bind password from; it never takes one on the command line itself. */
export interface PasswordSource {
  passwordEnv?: string;
  passwordFile?: string;
}

/** Reads the password named by `--password-env` or `--password-file`; undefined when neither is given. */
export async function readPassword(source: PasswordSource, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  if (source.passwordEnv && source.passwordFile) {
    throw new RosterError('invalid-input', 'Give either --password-env or --password-file, not both.');
  }
  if (source.passwordEnv) {
    const value = env[source.passwordEnv];
    if (value === undefined || value === '') {
      throw new RosterError('password-required', `The environment variable ${source.passwordEnv} is not set or empty; export it with the bind password.`);
    }
    return value;
  }
  if (source.passwordFile) {
    let text: string;
    try {
      text = await readFile(source.passwordFile, 'utf8');
    } catch (error) {
      throw new RosterError(
        'password-required',
        `Cannot read the password file ${source.passwordFile}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`,
      );
    }
    // Files written by `echo` end with a newline that is not part of the password.
    const value = text.replace(/\r?\n$/, '');
    if (value === '') throw new RosterError('password-required', `The password file ${source.passwordFile} is empty.`);
    return value;
  }
  return undefined;
}
