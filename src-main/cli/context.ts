import type { AppError, Result } from '#shared/result';
import { RosterError } from '#shared/result';
import type { Channel, ChannelInput, ChannelOutput } from '#shared/ipc/contract';
import { packageVersion, resolveDataDir } from '../core/paths';
import { SessionSecretStore } from '../core/secrets/secret-store';
import { openServices, type Services } from '../core/services';
import { createHandlers, dispatch, type HandlerTable } from '../handlers';

export const CLI_VERSION = packageVersion();

/** Options every command takes. */
export interface GlobalOptions {
  dataDir?: string;
}

/** An open store plus the handler table, for one CLI command. */
export interface CliSession {
  services: Services;
  call<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>>;
  close(): Promise<void>;
}

/** Raised when a call's Result is a failure, so commands can stay linear. */
export class CallFailed extends RosterError {
  constructor(error: AppError) {
    super(error.code, error.message, error.details);
  }
}

/** Opens the store (read-only when the command only reads) and binds the handler table. */
export async function openCli(options: GlobalOptions, readOnly = false): Promise<CliSession> {
  const services = await openServices({
    dataDir: resolveDataDir(options.dataDir),
    owner: 'the roster command line',
    transport: 'cli',
    secrets: new SessionSecretStore('The command line never stores passwords: pass --password-env VAR or --password-file FILE.'),
    version: CLI_VERSION,
    readOnly,
  });
  const table: HandlerTable = createHandlers(services);
  return {
    services,
    async call(channel, input) {
      const result = (await dispatch(table, channel, input)) as Result<ChannelOutput<typeof channel>>;
      if (!result.ok) throw new CallFailed(result.error);
      return result.value;
    },
    close: () => services.close(),
  };
}

/** Runs `work` with an open CLI session and always closes it (releasing the lock). */
export async function withCli<T>(options: GlobalOptions, readOnly: boolean, work: (cli: CliSession) => Promise<T>): Promise<T> {
  const cli = await openCli(options, readOnly);
  try {
    return await work(cli);
  } finally {
    await cli.close();
  }
}
