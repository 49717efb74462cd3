import type { z } from 'zod';
import { contract, isChannel, type Channel, type ChannelOutput, type ParsedInput } from '../src-shared/ipc/contract';
import { RosterError, type Result } from '../src-shared/result';
import type { Services } from './core/services';

/** Per-call context a transport may supply (cancellation for long calls). */
export interface CallContext {
  signal?: AbortSignal;
}

/** A handler per channel: plain async functions over the core services. */
export type HandlerTable = { [C in Channel]: (input: ParsedInput<C>, context: CallContext) => Promise<ChannelOutput<C>> };

/** The transport-neutral handler table: Electron IPC, the CLI and the e2e HTTP host all call this. */
export function createHandlers(services: Services): HandlerTable {
  const { realms } = services;
  return {
    'app:info': async () => services.info,
    'realms:list': () => realms.list(),
    'realms:create': ({ realm, password }) => realms.create(realm, password),
    'realms:update': ({ id, realm, password, forgetPassword }) => realms.update(id, realm, password, forgetPassword),
    'realms:set-enabled': ({ id, enabled }) => realms.setEnabled(id, enabled),
    'realms:reorder': ({ ids }) => realms.reorder(ids),
    'realms:delete': ({ id }) => realms.remove(id),
    'realms:test': ({ id, draft, password }, { signal }) => realms.test({ id, draft, password, signal }),
    ...pending([
      'users:query',
      'users:get',
      'users:create',
      'users:update',
      'users:delete',
      'users:set-enabled',
      'users:assign-role',
      'users:remove-role',
      'users:copy-roles',
      'users:to-internal',
      'users:find-in-realm',
      'users:to-external',
      'users:history',
      'fields:list',
      'fields:set-policy',
      'fields:add',
      'fields:remove',
      'roles:list',
      'roles:create',
      'roles:rename',
      'roles:delete',
      'audit:list',
      'audit:csv',
      'prefs:get',
      'prefs:set',
    ] as const),
  };
}

// TEMPORARY while the user services are written in this same session: removed before the issue closes.
function pending<C extends Channel>(names: readonly C[]): { [K in C]: HandlerTable[K] } {
  const out = {} as Record<string, () => Promise<never>>;
  for (const name of names) out[name] = () => Promise.reject(new RosterError('internal', `${name} is not built yet.`));
  return out as unknown as { [K in C]: HandlerTable[K] };
}

/** Zod issues as one sentence a person can act on: "connection.urls.0: Use a URL such as …". */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message)).join('; ');
}

/**
 * The one wrapper every transport goes through: checks the channel, parses the input with the channel's
 * zod schema, runs the handler and turns every outcome, thrown or not, into a Result. Never throws.
 */
export async function dispatch(table: HandlerTable, channel: unknown, rawInput: unknown, context: CallContext = {}): Promise<Result<unknown>> {
  try {
    if (!isChannel(channel)) return { ok: false, error: { code: 'invalid-input', message: `Unknown channel ${String(channel)}.` } };
    const parsed = contract[channel].input.safeParse(rawInput ?? {});
    if (!parsed.success) return { ok: false, error: { code: 'invalid-input', message: describeIssues(parsed.error) } };
    const handler = table[channel] as (input: unknown, context: CallContext) => Promise<unknown>;
    return { ok: true, value: await handler(parsed.data, context) };
  } catch (error) {
    if (error instanceof RosterError) return { ok: false, error: error.toAppError() };
    // Unexpected failures cross as a message only: no stack, no class instance.
    return { ok: false, error: { code: 'internal', message: `Unexpected error: ${(error as Error)?.message ?? String(error)}` } };
  }
}
