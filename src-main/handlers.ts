import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { ZodError, type z } from 'zod';
import { contract, isChannel, type Channel, type ChannelOutput, type ParsedInput, type Prefs } from '#shared/ipc/contract';
import { RosterError, type Result } from '#shared/result';
import type { Realm } from '#shared/model/realm';
import type { Job } from '#shared/model/sync';
import { DEFAULT_STALE_DAYS } from '#shared/model/report';
import { demoRealmInput, findResourcesDir } from './core/ldif/demo';
import { inspectLdif } from './core/ldif/flavour';
import type { Services } from './core/services';

/** Per-call context a transport may supply (cancellation for long calls). */
export interface CallContext {
  signal?: AbortSignal;
}

/** What only a desktop shell can do: open the file manager, show native file dialogs (Electron provides it). */
export interface DesktopShell {
  showInFolder(path: string): void;
  choosePath(options: { mode: 'save' | 'open'; defaultPath?: string; extensions: string[] }): Promise<string | undefined>;
}

/** A handler per channel: plain async functions over the core services. */
export type HandlerTable = { [C in Channel]: (input: ParsedInput<C>, context: CallContext) => Promise<ChannelOutput<C>> };

/** The transport-neutral handler table: Electron IPC, the CLI and the e2e HTTP host all call this. */
export function createHandlers(services: Services, desktop?: DesktopShell): HandlerTable {
  const { realms, users, conversion, settings } = services;
  return {
    'app:info': async () => services.info,
    'realms:list': () => realms.list(),
    'realms:create': ({ realm, draftId, rememberPassword }) => realms.create(realm, { draftId, rememberPassword }),
    'realms:update': ({ id, realm, rememberPassword, forgetPassword }) => realms.update(id, realm, { rememberPassword, forgetPassword }),
    'realms:set-session-password': (input) => realms.setPassword(input),
    'realms:set-enabled': ({ id, enabled }) => realms.setEnabled(id, enabled),
    'realms:reorder': ({ ids }) => realms.reorder(ids),
    'realms:delete': ({ id }) => realms.remove(id),
    'realms:inspect-ldif': ({ path, flavour, userFilter }) => inspectLdif(path, flavour, userFilter),
    'realms:test': ({ id, draft, draftId }, { signal }) => realms.test({ id, draft, draftId, signal }),
    'users:query': async ({ query, offset, limit, savedSort }) => {
      const sorted = savedSort ? { ...query, sort: prefsOf(services).usersSort } : query;
      return { ...users.query(sorted, offset, limit), sort: sorted.sort };
    },
    'users:get': async ({ id }) => users.detail(id),
    'users:create': (input) => users.create(input),
    'users:update': ({ id, username, fields }) => users.update(id, { ...(username === undefined ? {} : { username }), fields }),
    'users:delete': ({ id }) => users.remove(id),
    'users:bulk-preview': async ({ target }) => users.previewBulk(target),
    'users:set-enabled': ({ target, enabled }) => users.setEnabled(target, enabled),
    'users:assign-role': ({ target, roleId }) => users.assignRole(target, roleId),
    'users:remove-role': ({ target, roleId }) => users.removeRole(target, roleId),
    'users:copy-roles': ({ id, fromId }) => users.copyRoles(id, fromId),
    'users:to-internal': ({ id }) => conversion.toInternal(id),
    'users:find-in-realm': ({ id, realmId }, { signal }) => conversion.findInRealm(id, realmId, signal),
    'users:to-external': ({ id, realmId, dn }, { signal }) => conversion.toExternal(id, realmId, dn, signal),
    'users:history': ({ id }) => users.history(id),
    'fields:list': async () => users.fields(),
    'fields:set-policy': ({ key, owner, required }) =>
      settings.setPolicy(key, { ...(owner ? { owner } : {}), ...(required === undefined ? {} : { required }) }),
    'fields:add': ({ field }) => settings.addField(field),
    'fields:remove': ({ key }) => settings.removeField(key),
    'roles:list': async () => settings.roles(),
    'roles:create': ({ name }) => settings.createRole(name),
    'roles:rename': ({ id, name }) => settings.renameRole(id, name),
    'roles:delete': ({ id, force }) => settings.deleteRole(id, force),
    'audit:list': ({ filter, offset, limit }) => services.auditor.list(filter, offset, limit),
    'audit:csv': ({ filter }) => services.auditor.csv(filter),
    'import:search': ({ realmId, query, filter }, { signal }) => services.importer.search(realmId, query, filter, signal),
    'import:page': async ({ searchId, offset, limit, status }) => services.importer.page(searchId, offset, limit, status),
    'import:run': async ({ searchId, dns, clash }) => services.importer.run(searchId, dns, clash),
    'sync:candidates': ({ userId, realmId }, { signal }) => services.resync.candidates(userId, realmId, signal),
    'sync:preview': ({ userId, realmId, dn }, { signal }) => services.resync.preview(userId, realmId, dn, signal),
    'sync:apply': ({ userId, realmId, dn, choices }, { signal }) => services.resync.apply(userId, realmId, dn, choices, signal),
    'sync:resolve': ({ userId, choices }) => services.resync.resolve(userId, choices),
    'sync:resync-users': ({ target }) => services.resync.resyncUsers(target),
    'realms:reconcile': ({ realmId, full }) => services.resync.reconcile(realmId, { full }),
    'jobs:list': async () => services.jobs.list(),
    'jobs:get': async ({ id }) => services.jobs.get(id),
    'jobs:cancel': async ({ id }) => services.jobs.cancel(id),
    'demo:start': () => startDemo(services),
    'app:show-in-folder': async ({ path }) => {
      if (!existsSync(path)) throw new RosterError('not-found', `${path} is not there any more; it may have been moved or deleted.`);
      desktop?.showInFolder(path);
      return { shown: desktop !== undefined, folder: dirname(path) };
    },
    'app:choose-path': async (options) => {
      if (!desktop) return { unavailable: 'This window has no file dialog; type the full path instead.' };
      const path = await desktop.choosePath(options);
      return path === undefined ? {} : { path };
    },
    'export:columns': async () => services.exporter.catalogue(),
    'export:plan': async (request) => services.exporter.plan(request),
    'export:start': async (request) => services.exporter.start(request),
    'sheets:open': ({ path }) => services.sheets.open(path),
    'sheets:preview': async (options) => services.sheets.preview(options),
    'sheets:page': async ({ sheetId, offset, limit, status }) => services.sheets.page(sheetId, offset, limit, status),
    'sheets:apply': (options) => services.sheets.apply(options),
    'reports:overview': async ({ staleDays }) => services.reports.overview(staleDays ?? prefsOf(services).staleDays),
    'prefs:get': async () => prefsOf(services),
    'prefs:set': async ({ prefs }) => {
      await services.store.update((data) => {
        data.prefs = { ...data.prefs, ...prefs };
      });
      return prefsOf(services);
    },
  };
}

/** "Try with demo data": the bundled demo directory as an LDIF realm (added once), imported whole. */
async function startDemo(services: Services): Promise<{ realm: Realm; job: Job }> {
  const input = demoRealmInput(services.resourcesDir ?? findResourcesDir());
  const existing = (await services.realms.list()).find((r) => r.kind === 'ldif-file' && r.ldif?.path === input.ldif?.path);
  const realm = existing ?? (await services.realms.create(input));
  return { realm, job: services.importer.searchAndImport(realm.id, '*', undefined) };
}

/** Preferences with defaults filled in. */
const prefsOf = (services: Services): Prefs => {
  const saved = services.store.data.prefs;
  return {
    usersSort: saved.usersSort ?? { column: 'username', direction: 'asc' },
    ...(saved.usersColumns ? { usersColumns: saved.usersColumns } : {}),
    export: saved.export ?? {},
    staleDays: saved.staleDays ?? DEFAULT_STALE_DAYS,
  };
};

/** Longest message describeIssues returns: a hostile input (a 10 MB key) must not come back as a 10 MB message. */
export const MAX_ISSUES_MESSAGE = 1000;
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** Zod issues as one sentence a person can act on: "connection.urls.0: Use a URL such as …". */
export function describeIssues(error: z.ZodError): string {
  const described = error.issues.map((issue) => {
    const message = clip(issue.message, 300);
    return issue.path.length ? `${issue.path.map((key) => clip(String(key), 60)).join('.')}: ${message}` : message;
  });
  let text = '';
  for (const [index, issue] of described.entries()) {
    const more = described.length - index;
    const next = text ? `${text}; ${issue}` : clip(issue, MAX_ISSUES_MESSAGE - 40);
    if (next.length > MAX_ISSUES_MESSAGE - 40) return `${text}; and ${more} more problem${more === 1 ? '' : 's'}`;
    text = next;
  }
  return text;
}

/**
 * Parses a channel's input. The schemas are written not to throw on any shape, but should one still throw
 * (a refinement reading a property of a missing object), the input is what made it fail: it is reported as
 * invalid input, never as an internal error.
 */
function parseInput(channel: Channel, rawInput: unknown): { success: true; data: unknown } | { success: false; message: string } {
  try {
    const parsed = contract[channel].input.safeParse(rawInput ?? {});
    return parsed.success ? { success: true, data: parsed.data } : { success: false, message: describeIssues(parsed.error) };
  } catch (error) {
    if (error instanceof ZodError) return { success: false, message: describeIssues(error) };
    return { success: false, message: `The input for ${channel} has an unexpected shape (${error instanceof Error ? error.message : String(error)}).` };
  }
}

/**
 * The one wrapper every transport goes through: checks the channel, parses the input with the channel's
 * zod schema, runs the handler and turns every outcome, thrown or not, into a Result. Never throws.
 */
export async function dispatch(table: HandlerTable, channel: unknown, rawInput: unknown, context: CallContext = {}): Promise<Result<unknown>> {
  try {
    if (!isChannel(channel)) {
      const kind = channel === null || channel === undefined ? String(channel) : typeof channel === 'object' ? 'an object' : `a ${typeof channel}`;
      const message = typeof channel === 'string' ? `Unknown channel ${clip(channel, 100)}.` : `A channel is named by a string, not ${kind}.`;
      return { ok: false, error: { code: 'invalid-input', message } };
    }
    const parsed = parseInput(channel, rawInput);
    if (!parsed.success) return { ok: false, error: { code: 'invalid-input', message: parsed.message } };
    const handler = table[channel] as (input: unknown, context: CallContext) => Promise<unknown>;
    return { ok: true, value: await handler(parsed.data, context) };
  } catch (error) {
    if (error instanceof RosterError) return { ok: false, error: error.toAppError() };
    // Unexpected failures cross as a message only: no stack, no class instance.
    return { ok: false, error: { code: 'internal', message: `Unexpected error: ${(error as Error)?.message ?? String(error)}` } };
  }
}
