/**
 * Channel and event names alone, without schemas: the sandboxed preload checks against these lists and
 * must not pull zod in. contract.ts is checked to define exactly these channels.
 */
export const CHANNEL_NAMES = [
  'app:info',
  'realms:list',
  'realms:create',
  'realms:update',
  'realms:set-session-password',
  'realms:set-enabled',
  'realms:reorder',
  'realms:delete',
  'realms:inspect-ldif',
  'realms:test',
  'users:query',
  'users:get',
  'users:create',
  'users:update',
  'users:delete',
  'users:bulk-preview',
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
  'import:search',
  'import:page',
  'import:run',
  'sync:candidates',
  'sync:preview',
  'sync:apply',
  'sync:resolve',
  'sync:resync-users',
  'realms:reconcile',
  'jobs:list',
  'jobs:get',
  'jobs:cancel',
  'demo:start',
  'prefs:get',
  'prefs:set',
  'app:show-in-folder',
  'app:choose-path',
  'export:columns',
  'export:plan',
  'export:start',
  'sheets:open',
  'sheets:preview',
  'sheets:page',
  'sheets:apply',
  'reports:overview',
] as const;
export type ChannelName = (typeof CHANNEL_NAMES)[number];

export const EVENT_NAMES = ['jobs:progress', 'realms:changed', 'users:changed', 'settings:changed', 'jobs:changed'] as const;
export type EventName = (typeof EVENT_NAMES)[number];

/** Returns whether a string names a known channel. */
export const isChannel = (name: unknown): name is ChannelName => typeof name === 'string' && (CHANNEL_NAMES as readonly string[]).includes(name);

/** Returns whether a string names a known push event. */
export const isEventName = (name: unknown): name is EventName => typeof name === 'string' && (EVENT_NAMES as readonly string[]).includes(name);
