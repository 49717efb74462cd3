import { z } from 'zod';
import type { ConnectionTestReport } from '../model/connection-test';
import { realmInputSchema, type Realm } from '../model/realm';
import { CHANNEL_NAMES, type ChannelName, type EventName } from './channels';

export { isChannel, isEventName, EVENT_NAMES, type EventName } from './channels';

/** Declares a channel: its zod input schema and (type-only) output. */
const channel =
  <Output>() =>
  <Input extends z.ZodType>(input: Input) => ({ input, output: undefined as unknown as Output });

const empty = z.object({}).strict().default({});
const id = z.string().min(1).max(64);
/** Bind passwords enter main from the renderer or CLI; they are never sent back. */
const password = z.string().min(1).max(1024);

/** Facts about the running back end the UI shows in its status bar and settings. */
export interface AppInfo {
  version: string;
  dataDir: string;
  transport: 'electron' | 'http' | 'cli';
  secrets: { persistent: boolean; reason?: string };
  /** Things about the data folder the user should know (migrations, damaged files set aside). */
  notices: string[];
}

/** Every request/response channel: `domain:action` -> input schema and output type. */
export const contract = {
  'app:info': channel<AppInfo>()(empty),
  'realms:list': channel<Realm[]>()(empty),
  'realms:create': channel<Realm>()(z.object({ realm: realmInputSchema, password: password.optional() }).strict()),
  'realms:update': channel<Realm>()(
    z.object({ id, realm: realmInputSchema, password: password.optional(), forgetPassword: z.boolean().optional() }).strict(),
  ),
  'realms:set-enabled': channel<Realm>()(z.object({ id, enabled: z.boolean() }).strict()),
  'realms:reorder': channel<Realm[]>()(z.object({ ids: z.array(id).min(1) }).strict()),
  'realms:delete': channel<{ id: string }>()(z.object({ id }).strict()),
  /** Tests a saved realm (by id) or an unsaved draft; a saved realm's result is remembered for the status bar. */
  'realms:test': channel<ConnectionTestReport>()(
    z
      .object({ id: id.optional(), draft: realmInputSchema.optional(), password: password.optional() })
      .strict()
      .refine((v) => v.id !== undefined || v.draft !== undefined, 'Give a realm id or a draft realm to test'),
  ),
} as const satisfies Record<ChannelName, { input: z.ZodType; output: unknown }>;

export type Contract = typeof contract;
export type Channel = keyof Contract;
/** What a caller passes (before defaults are applied). */
export type ChannelInput<C extends Channel> = z.input<Contract[C]['input']>;
/** What a handler receives (after zod parsing and defaults). */
export type ParsedInput<C extends Channel> = z.output<Contract[C]['input']>;
export type ChannelOutput<C extends Channel> = Contract[C]['output'];

/** All channel names, for allow-lists in main and the HTTP host. */
export const CHANNELS: readonly Channel[] = CHANNEL_NAMES;

/** Push events main sends to the window: name -> payload. */
export interface EventMap {
  'jobs:progress': { jobId: string; done: number; total: number; phase: string };
  'realms:changed': { ids: string[] };
}
// Fails to compile when an event in the map has no name in the list, or the other way round.
const _everyEventMapped: Record<EventName, true> = { 'jobs:progress': true, 'realms:changed': true } satisfies Record<keyof EventMap, true>;
void _everyEventMapped;
