import { beforeEach, describe, expect, it } from 'vitest';
import type { RosterApi } from '#shared/ipc/api';
import { arrangeColumns, columnOrder, gridTemplate, minWidth } from './columns';
import { resetUserColumns, useUserColumnsStore } from './user-columns-store';

let saved: unknown[] = [];
let stored: unknown = undefined;
const roster: RosterApi = {
  invoke: async (channel, input) => {
    if (channel === 'prefs:get')
      return { ok: true, value: { usersSort: { column: 'username', direction: 'asc' }, ...(stored ? { usersColumns: stored } : {}) } } as never;
    if (channel === 'prefs:set') {
      const { usersColumns } = (input as { prefs: { usersColumns: unknown } }).prefs;
      saved.push(usersColumns);
      stored = usersColumns;
      return { ok: true, value: {} } as never;
    }
    throw new Error(`unexpected ${channel}`);
  },
  on: () => () => undefined,
};
Object.assign(globalThis, { window: { roster } });

const store = () => useUserColumnsStore.getState();
const shown = () => arrangeColumns(store().prefs).map((c) => c.key);

beforeEach(() => {
  saved = [];
  stored = undefined;
  resetUserColumns();
});

describe('the user table columns', () => {
  it('start as the defaults when nothing was saved, with the realm in its own column and Kind hidden (the Columns menu offers it)', async () => {
    await store().load();
    expect(shown()).toEqual(['username', 'displayName', 'email', 'department', 'title', 'realm', 'enabled', 'syncedAt', 'markers']);
    expect(columnOrder(store().prefs)).toContain('kind');
    store().setHidden('kind', false);
    expect(shown()).toEqual(['username', 'displayName', 'email', 'department', 'title', 'kind', 'realm', 'enabled', 'syncedAt', 'markers']);
  });

  it('move, hide and resize, each saved through prefs:set, and come back so after a restart', async () => {
    await store().load();
    store().move('email', -2);
    store().setHidden('title', true);
    store().setWidth('department', 180);
    expect(shown().slice(0, 4)).toEqual(['email', 'username', 'displayName', 'department']);
    expect(shown()).not.toContain('title');
    expect(saved.at(-1)).toEqual({
      order: ['email', 'username', 'displayName', 'department', 'title', 'kind', 'realm', 'enabled', 'syncedAt', 'markers'],
      hidden: ['kind', 'title'],
      widths: { department: 180 },
    });
    expect(gridTemplate(arrangeColumns(store().prefs), store().prefs.widths)).toContain('180px');

    // A restart: a fresh renderer reads them back.
    resetUserColumns();
    await store().load();
    expect(shown().slice(0, 4)).toEqual(['email', 'username', 'displayName', 'department']);
    expect(store().prefs.widths).toEqual({ department: 180 });
  });

  it('a drag saves its width once, when let go; widths stay within the column minimum', async () => {
    await store().load();
    store().setWidth('email', 300, false);
    store().setWidth('email', 320, false);
    expect(saved).toEqual([]);
    store().setWidth('email', 10);
    expect(saved).toEqual([{ order: [], hidden: ['kind'], widths: { email: minWidth('email') } }]);
  });

  it('the username cannot be hidden; drag and drop puts a column where another is; Reset brings the defaults back', async () => {
    await store().load();
    store().setHidden('username', true);
    expect(shown()).toContain('username');
    store().moveTo('markers', 'username');
    expect(shown()[0]).toBe('markers');
    store().reset();
    expect(saved.at(-1)).toEqual({ order: [], hidden: ['kind'], widths: {} });
    expect(shown()[0]).toBe('username');
  });
});
