import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RosterApi } from '#shared/ipc/api';
import type { UserQuery, UserRow } from '#shared/model/user';
import { BLOCK_SIZE } from './row-blocks';
import { bulkConfirmText } from './bulk-messages';
import { resetToasts, TOAST_ACTION_MS, useToastStore } from '../../../stores/toast-store';
import { resetUsersList, useUsersListStore } from './users-list-store';

// A fake back end: 1,000 users, searched by username substring and sorted by username.
const USERS: UserRow[] = Array.from({ length: 1000 }, (_, n) => ({
  id: `u${n}`,
  username: `user${String(n).padStart(4, '0')}`,
  displayName: `User ${n}`,
  email: '',
  department: '',
  title: '',
  kind: 'internal',
  enabled: true,
  incomplete: false,
  completions: false,
  conflicts: false,
}));
const facets = { all: 0, internal: 0, external: 0, enabled: 0, disabled: 0, incomplete: 0, completions: 0, conflicts: 0, realms: {} };
function answerQuery({ query, offset, limit, savedSort }: { query: UserQuery; offset: number; limit: number; savedSort?: boolean }) {
  const matched = USERS.filter((u) => u.username.includes(query.search));
  const sort = savedSort ? (prefs as { value: { usersSort: UserQuery['sort'] } }).value.usersSort : query.sort;
  if (sort.direction === 'desc') matched.reverse();
  return { ok: true, value: { total: matched.length, offset, rows: matched.slice(offset, offset + limit), facets: { ...facets, all: matched.length }, sort } };
}

type Call = { channel: string; input: Record<string, unknown> };
let calls: Call[] = [];
let listeners: Record<string, (payload: unknown) => void> = {};
/** When set, `users:query` answers wait until released (to answer out of order). */
let hold: ((release: () => void, input: Call['input']) => void) | null = null;
let prefs: unknown = { ok: true, value: { usersSort: { column: 'username', direction: 'desc' } } };
let bulkAnswer: unknown = { ok: true, value: { matched: 3, changed: 3 } };

const roster: RosterApi = {
  invoke: async (channel, input) => {
    const c = { channel, input: input as Record<string, unknown> };
    calls.push(c);
    if (channel === 'prefs:get') return prefs as never;
    if (channel === 'prefs:set') return { ok: true, value: {} } as never;
    if (channel === 'users:query') {
      if (hold) await new Promise<void>((release) => hold?.(release, c.input));
      return answerQuery(input as never) as never;
    }
    return bulkAnswer as never;
  },
  on: (event, listener) => {
    listeners[event] = listener as (payload: unknown) => void;
    return () => delete listeners[event];
  },
};
Object.assign(globalThis, { window: { roster } });
const invoke = roster.invoke;
let unwatch = () => undefined as void;

const store = () => useUsersListStore.getState();
const queries = () => calls.filter((c) => c.channel === 'users:query').map((c) => c.input);
const settle = () => vi.waitFor(() => expect(store().loading).toBe(false));

beforeEach(async () => {
  calls = [];
  listeners = {};
  hold = null;
  prefs = { ok: true, value: { usersSort: { column: 'username', direction: 'desc' } } };
  roster.invoke = invoke;
  resetUsersList();
  unwatch = store().watch();
  await store().init();
  await settle();
});
afterEach(() => {
  vi.useRealTimers();
  unwatch();
});

describe('loading rows in blocks', () => {
  it('loads the first block in one call, sorted as saved, and takes that sort from the answer', async () => {
    expect(calls.map((c) => c.channel)).toEqual(['users:query']);
    expect(queries()[0]).toMatchObject({ offset: 0, limit: BLOCK_SIZE, savedSort: true });
    expect(store().query.sort).toEqual({ column: 'username', direction: 'desc' });
    expect(store().total).toBe(1000);
    expect(store().blocks[0]?.rows[0]?.username).toBe('user0999');
    // From then on the list says its sort itself.
    store().showRange({ start: 190, end: 230 });
    await settle();
    expect(queries()[1]).toMatchObject({ offset: 200, query: { sort: { column: 'username', direction: 'desc' } } });
    expect(queries()[1]?.savedSort).toBeUndefined();
    expect(store().blocks[1]?.rows[0]?.username).toBe('user0799');
  });

  it('keeps asking for the saved sort until an answer came (a failed first call, then Retry)', async () => {
    resetUsersList();
    calls = [];
    roster.invoke = (async () => ({ ok: false, error: { code: 'internal', message: 'Store is gone' } })) as never;
    await store().init();
    await settle();
    expect(store().error?.message).toBe('Store is gone');
    roster.invoke = invoke;
    store().refresh();
    await settle();
    expect(queries().at(-1)).toMatchObject({ savedSort: true });
    expect(store().query.sort).toEqual({ column: 'username', direction: 'desc' });
    expect(store().blocks[0]?.rows[0]?.username).toBe('user0999');
  });

  it('fetches the block after the screen before the screen reaches it (half a block ahead)', async () => {
    store().showRange({ start: 60, end: 90 });
    await settle();
    expect(queries().map((q) => q.offset)).toEqual([0]);
    store().showRange({ start: 110, end: 140 });
    await settle();
    expect(queries().map((q) => q.offset)).toEqual([0, 200]);
  });

  it('fetches only blocks not yet on hand, once each', async () => {
    store().showRange({ start: 180, end: 420 });
    store().showRange({ start: 190, end: 430 });
    await settle();
    expect(queries().map((q) => q.offset)).toEqual([0, 200, 400]);
    store().showRange({ start: 0, end: 40 });
    expect(queries()).toHaveLength(3);
  });

  it('refetches what is on screen when main says users changed, coalescing a burst', async () => {
    vi.useFakeTimers();
    listeners['users:changed']?.({ ids: [] });
    listeners['users:changed']?.({ ids: ['u1'] });
    await vi.advanceTimersByTimeAsync(200);
    vi.useRealTimers();
    await settle();
    expect(queries()).toHaveLength(2);
    expect(store().blocks[0]?.gen).toBe(store().gen);
  });

  it('shows a failed query as the error and keeps what it had', async () => {
    roster.invoke = (async (channel: string) => (channel === 'users:query' ? { ok: false, error: { code: 'internal', message: 'Store is gone' } } : prefs)) as never;
    store().refresh();
    await settle();
    expect(store().error?.message).toBe('Store is gone');
    expect(store().total).toBe(1000);
  });
});

describe('search', () => {
  it('searches at once, one search at a time: keystrokes made meanwhile send only the last text, when the answer lands', async () => {
    const releases: (() => void)[] = [];
    hold = (release) => releases.push(release);
    store().setSearch('user00');
    // Sent with no timer in between.
    expect(queries()).toHaveLength(2);
    expect(queries()[1]?.query).toMatchObject({ search: 'user00' });
    store().setSearch('user000');
    store().setSearch('user0001 ');
    expect(store().searchInput).toBe('user0001 ');
    expect(queries()).toHaveLength(2);
    releases[0]?.();
    await vi.waitFor(() => expect(queries()).toHaveLength(3));
    expect(queries()[2]?.query).toMatchObject({ search: 'user0001' });
    releases[1]?.();
    await settle();
    expect(store().total).toBe(1);
    expect(store().blocks[0]?.rows[0]?.username).toBe('user0001');
    // A text that trims to the search already sent sends nothing.
    store().setSearch('user0001');
    expect(queries()).toHaveLength(3);
  });

  it('a failed search still lets the next keystroke search', async () => {
    roster.invoke = (async (channel: string, input: unknown) =>
      channel === 'users:query' && (input as { query: UserQuery }).query.search === 'bad'
        ? { ok: false, error: { code: 'internal', message: 'Store is gone' } }
        : invoke(channel as never, input as never)) as never;
    store().setSearch('bad');
    await settle();
    expect(store().error?.message).toBe('Store is gone');
    store().setSearch('user0002');
    await settle();
    expect(store().error).toBeNull();
    expect(store().blocks[0]?.rows[0]?.username).toBe('user0002');
  });

  it('drops the answer to an older query that lands after a newer one', async () => {
    const releases: (() => void)[] = [];
    hold = (release) => releases.push(release);
    // Sorted by username descending (the saved sort): user0009 first.
    store().setSearch('user000');
    // A new order goes out while the search is still being answered.
    void store().sortBy('username');
    expect(releases).toHaveLength(2);
    releases[1]?.();
    await vi.waitFor(() => expect(store().blocks[0]?.rows[0]?.username).toBe('user0000'));
    releases[0]?.();
    // Every promise reaction of that answer runs before the next task.
    await new Promise((done) => setTimeout(done, 0));
    expect(store().blocks[0]?.rows[0]?.username).toBe('user0000');
    expect(store().total).toBe(10);
  });

  it('clears the selection when the filter changes, keeps it when only the order does', async () => {
    await store().clickRow(0, { shift: false, toggle: false });
    await store().sortBy('username');
    expect(store().selection.ids.size).toBe(1);
    // The preference is written once the new order's rows are in (see 'saving the sort' below).
    await vi.waitFor(() => expect(calls.find((c) => c.channel === 'prefs:set')?.input).toEqual({ prefs: { usersSort: { column: 'username', direction: 'asc' } } }));
    store().setFilters({ enabled: false });
    expect(store().selection.ids.size).toBe(0);
    expect(store().query).toEqual({ search: '', enabled: false, sort: { column: 'username', direction: 'asc' } });
  });
});

describe('saving the sort', () => {
  const saves = () => calls.filter((c) => c.channel === 'prefs:set').map((c) => c.input);

  it('writes a chosen sort after its rows are answered, never beside its query, and quick changes as one write of the last', async () => {
    const releases: (() => void)[] = [];
    hold = (release) => releases.push(release);
    void store().sortBy('displayName');
    void store().sortBy('displayName');
    expect(store().query.sort).toEqual({ column: 'displayName', direction: 'desc' });
    await new Promise((done) => setTimeout(done, 20));
    expect(saves()).toEqual([]);
    for (const release of releases) release();
    await vi.waitFor(() => expect(saves()).toEqual([{ prefs: { usersSort: { column: 'displayName', direction: 'desc' } } }]));
    const lastQuery = calls.findLastIndex((c) => c.channel === 'users:query');
    expect(calls.findIndex((c) => c.channel === 'prefs:set')).toBeGreaterThan(lastQuery);
    // Later answers (a keystroke's) write nothing more.
    hold = null;
    store().setSearch('user1');
    await settle();
    await new Promise((done) => setTimeout(done, 20));
    expect(saves()).toHaveLength(1);
  });

  it('a sort chosen while the last one is being written is written after it', async () => {
    const writes: (() => void)[] = [];
    roster.invoke = (async (channel: string, input: unknown) => {
      if (channel !== 'prefs:set') return invoke(channel as never, input as never);
      calls.push({ channel, input: input as Record<string, unknown> });
      await new Promise<void>((done) => writes.push(done));
      return { ok: true, value: {} };
    }) as never;
    await store().sortBy('email');
    await vi.waitFor(() => expect(writes).toHaveLength(1));
    await store().sortBy('department');
    await settle();
    await new Promise((done) => setTimeout(done, 20));
    expect(writes).toHaveLength(1);
    writes[0]?.();
    await vi.waitFor(() => expect(writes).toHaveLength(2));
    expect(saves()).toEqual([{ prefs: { usersSort: { column: 'email', direction: 'asc' } } }, { prefs: { usersSort: { column: 'department', direction: 'asc' } } }]);
    writes[1]?.();
  });

  it('shows a failed write as the action error', async () => {
    roster.invoke = (async (channel: string, input: unknown) =>
      channel === 'prefs:set' ? { ok: false, error: { code: 'io', message: 'The disk is full' } } : invoke(channel as never, input as never)) as never;
    await store().sortBy('email');
    await vi.waitFor(() => expect(store().actionError).toEqual({ code: 'io', message: 'The disk is full' }));
  });

  it('writes a chosen sort at once when the page goes away before its rows came', async () => {
    const handlers = new Map<string, () => void>();
    Object.assign(window, {
      addEventListener: (type: string, handler: () => void) => handlers.set(type, handler),
      removeEventListener: (type: string) => handlers.delete(type),
    });
    try {
      unwatch();
      unwatch = store().watch();
      hold = () => undefined; // the sort's rows never come
      void store().sortBy('title');
      expect(saves()).toEqual([]);
      handlers.get('pagehide')?.();
      expect(saves()).toEqual([{ prefs: { usersSort: { column: 'title', direction: 'asc' } } }]);
    } finally {
      unwatch();
      Object.assign(window, { addEventListener: undefined, removeEventListener: undefined });
      unwatch = store().watch();
    }
  });
});

describe('selection', () => {
  it('click, ctrl-click and shift-click select by id', async () => {
    await store().clickRow(2, { shift: false, toggle: false });
    await store().clickRow(5, { shift: false, toggle: true });
    expect([...store().selection.ids]).toEqual(['u997', 'u994']);
    await store().clickRow(3, { shift: true, toggle: false });
    expect([...store().selection.ids]).toEqual(['u996', 'u995', 'u994']);
  });

  it('fetches the rows of a shift-click range that are not on hand', async () => {
    await store().clickRow(0, { shift: false, toggle: false });
    await store().clickRow(0, { shift: false, toggle: false });
    // Row 650 is not fetched: put one block there, as if scrolled.
    store().showRange({ start: 640, end: 660 });
    await settle();
    await store().clickRow(650, { shift: true, toggle: false });
    expect(store().selection.ids.size).toBe(651);
    expect(queries().at(-1)).toMatchObject({ offset: 0, limit: 651 });
  });

  it('Shift+Arrow extends from the anchor; Space toggles the focused row', async () => {
    await store().clickRow(4, { shift: false, toggle: false });
    await store().moveFocus(5, true);
    await store().moveFocus(6, true);
    expect(store().selection.ids.size).toBe(3);
    await store().moveFocus(3, true);
    expect([...store().selection.ids]).toEqual(['u996', 'u995']);
    store().toggleRow(3);
    expect([...store().selection.ids]).toEqual(['u995']);
    await store().moveFocus(5000, false);
    expect(store().focusIndex).toBe(999);
  });

  it('bulk role actions send ids or the whole query, say the outcome as a toast, and show errors in the bar', async () => {
    await store().clickRow(0, { shift: false, toggle: false });
    await store().runBulk({ kind: 'assign-role', roleId: 'r1', roleName: 'Ops' });
    expect(calls.find((c) => c.channel === 'users:assign-role')?.input).toEqual({ target: { ids: ['u999'] }, roleId: 'r1' });
    expect(useToastStore.getState().toasts.map((t) => [t.place, t.text])).toEqual([['users', 'Gave role “Ops” to 3 users']]);
    await settle();
    store().selectAllInFilter();
    await store().runBulk({ kind: 'assign-role', roleId: 'r1', roleName: 'Ops' });
    expect(calls.filter((c) => c.channel === 'users:assign-role')[1]?.input).toEqual({ target: { query: store().query }, roleId: 'r1' });

    bulkAnswer = { ok: false, error: { code: 'not-found', message: 'No such role' } };
    await store().runBulk({ kind: 'remove-role', roleId: 'gone', roleName: 'Gone' });
    expect(store().bulk.error?.message).toBe('No such role');
    bulkAnswer = { ok: true, value: { matched: 3, changed: 3 } };
  });

  it('the row checkbox with Shift adds the range from the anchor, as Shift-click on a row does', async () => {
    await store().checkRow(1, false);
    await store().checkRow(4, true);
    expect([...store().selection.ids]).toEqual(['u998', 'u997', 'u996', 'u995']);
    // Another range from a new anchor adds to what the checkboxes hold.
    await store().checkRow(8, false);
    await store().checkRow(9, true);
    expect(store().selection.ids.size).toBe(6);
    expect(store().selection.ids.has('u990')).toBe(true);
    // Without Shift it toggles one row.
    await store().checkRow(9, false);
    expect(store().selection.ids.has('u990')).toBe(false);
  });
});

describe('bulk login changes: asked first, undone after', () => {
  const preview = { count: 3, directoryDisabled: 2, directoryDisabledNames: ['user0998', 'user0997'] };
  beforeEach(() => {
    resetToasts();
    roster.invoke = async (channel, input) => {
      if (channel === 'users:bulk-preview') {
        calls.push({ channel, input: input as Record<string, unknown> });
        return { ok: true, value: preview } as never;
      }
      if (channel === 'users:set-enabled') {
        calls.push({ channel, input: input as Record<string, unknown> });
        const ids = ((input as { target: { ids?: string[] } }).target.ids ?? []).slice(0, 2);
        return { ok: true, value: { matched: 3, changed: ids.length, changedIds: ids } } as never;
      }
      return invoke(channel, input);
    };
  });

  it('asks before enabling, naming the count and the users their directory disables; runs only on yes', async () => {
    await store().clickRow(0, { shift: false, toggle: false });
    await store().clickRow(2, { shift: true, toggle: false });
    await store().runBulk({ kind: 'set-enabled', enabled: true });
    expect(calls.some((c) => c.channel === 'users:set-enabled')).toBe(false);
    expect(calls.find((c) => c.channel === 'users:bulk-preview')?.input).toEqual({ target: { ids: ['u999', 'u998', 'u997'] } });
    expect(store().bulkConfirm).toEqual({ enabled: true, ...preview });
    const text = bulkConfirmText(store().bulkConfirm!);
    expect(text.title).toBe('Enable login for 3 users?');
    expect(text.warning).toBe('2 of them are disabled in the directory: user0998, user0997. Roster would allow a login the directory refuses.');
    // Cancel: nothing runs.
    store().cancelBulk();
    expect(store().bulkConfirm).toBeNull();
    expect(calls.some((c) => c.channel === 'users:set-enabled')).toBe(false);
    // Yes: it runs on the targets asked about.
    await store().runBulk({ kind: 'set-enabled', enabled: true });
    await store().confirmBulk();
    expect(calls.find((c) => c.channel === 'users:set-enabled')?.input).toEqual({ target: { ids: ['u999', 'u998', 'u997'] }, enabled: true });
    expect(store().bulkConfirm).toBeNull();
  });

  it('offers Undo, which sets the changed users back (one more bulk change), for a few seconds', async () => {
    vi.useFakeTimers();
    await store().clickRow(0, { shift: false, toggle: false });
    await store().clickRow(2, { shift: true, toggle: false });
    await store().runBulk({ kind: 'set-enabled', enabled: false });
    await store().confirmBulk();
    const [toast] = useToastStore.getState().toasts;
    expect(toast?.text).toBe('Disabled 2 users (1 already disabled)');
    expect(toast?.action?.label).toBe('Undo');
    toast?.action?.run();
    await vi.waitFor(() => expect(calls.filter((c) => c.channel === 'users:set-enabled')).toHaveLength(2));
    expect(calls.filter((c) => c.channel === 'users:set-enabled')[1]?.input).toEqual({ target: { ids: ['u999', 'u998'] }, enabled: true });
    await vi.waitFor(() => expect(useToastStore.getState().toasts.map((t) => t.text)).toContain('Undone: Enabled 2 users (1 already enabled) again'));
    // The Undo offer itself goes after its few seconds.
    await store().runBulk({ kind: 'set-enabled', enabled: false });
    await store().confirmBulk();
    expect(useToastStore.getState().toasts.some((t) => t.action)).toBe(true);
    vi.advanceTimersByTime(TOAST_ACTION_MS);
    expect(useToastStore.getState().toasts.some((t) => t.action)).toBe(false);
  });
});

describe('counts beside the filters', () => {
  it('take the counts of the combined filter from its answer, replacing those of the filter before', async () => {
    roster.invoke = async (channel, input) => {
      if (channel !== 'users:query') return invoke(channel, input);
      const { query } = input as { query: UserQuery };
      const both = query.incomplete && query.completions;
      const answer = answerQuery(input as never);
      return { ...answer, value: { ...answer.value, total: both ? 0 : 301, rows: both ? [] : answer.value.rows, facets: both ? { ...facets } : { ...facets, all: 301, incomplete: 40, completions: 12 } } } as never;
    };
    store().setFilters({ incomplete: true });
    await settle();
    expect(store().facets).toMatchObject({ all: 301, incomplete: 40, completions: 12 });
    store().setFilters({ incomplete: true, completions: true });
    await settle();
    expect(store().query).toMatchObject({ incomplete: true, completions: true });
    expect(store().total).toBe(0);
    expect(store().facets).toMatchObject({ all: 0, incomplete: 0, completions: 0 });
  });
});
