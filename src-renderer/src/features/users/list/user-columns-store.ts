import { create } from 'zustand';
import type { UserColumnPrefs } from '#shared/ipc/contract';
import type { AppError } from '#shared/result';
import { call } from '../../../api';
import { columnOrder, DEFAULT_COLUMN_PREFS, minWidth, type UserColumnKey } from './columns';

/** Widest a column may be made, in px (as prefs:set accepts). */
const MAX_WIDTH = 1200;

interface UserColumnsState {
  prefs: UserColumnPrefs;
  loaded: boolean;
  error: AppError | null;
  /** Reads the saved arrangement (once). */
  load(): Promise<void>;
  /** Moves a column `by` places left (negative) or right among all columns. */
  move(key: UserColumnKey, by: number): void;
  /** Puts a column where another one is (drag and drop). */
  moveTo(key: UserColumnKey, target: UserColumnKey): void;
  /** Sets a column's width; `save: false` while a drag is under way (the drop saves). */
  setWidth(key: UserColumnKey, width: number, save?: boolean): void;
  setHidden(key: UserColumnKey, hidden: boolean): void;
  /** Back to the default columns. */
  reset(): void;
}

let loading: Promise<void> | undefined;

/** The user table's columns as the admin arranged them, saved in main's prefs so they survive a restart. */
export const useUserColumnsStore = create<UserColumnsState>()((set, get) => {
  const save = async (prefs: UserColumnPrefs) => {
    set({ prefs, loaded: true });
    const result = await call('prefs:set', { prefs: { usersColumns: prefs } });
    set({ error: result.ok ? null : result.error });
  };
  const saveWith = (change: (prefs: UserColumnPrefs) => UserColumnPrefs) => void save(change(get().prefs));
  return {
    prefs: DEFAULT_COLUMN_PREFS,
    loaded: false,
    error: null,
    load: () => {
      loading ??= (async () => {
        const result = await call('prefs:get', {});
        // A change made before the answer came wins over the saved one.
        if (result.ok && !get().loaded) set({ prefs: result.value.usersColumns ?? DEFAULT_COLUMN_PREFS });
        set({ loaded: true, error: result.ok ? null : result.error });
      })();
      return loading;
    },
    move: (key, by) =>
      saveWith((prefs) => {
        const order = columnOrder(prefs);
        const from = order.indexOf(key);
        const to = Math.max(0, Math.min(order.length - 1, from + by));
        if (from === to) return prefs;
        order.splice(to, 0, ...order.splice(from, 1));
        return { ...prefs, order };
      }),
    moveTo: (key, target) =>
      saveWith((prefs) => {
        const order = columnOrder(prefs);
        const from = order.indexOf(key);
        const to = order.indexOf(target);
        if (from === to) return prefs;
        order.splice(to, 0, ...order.splice(from, 1));
        return { ...prefs, order };
      }),
    setWidth: (key, width, keep = true) => {
      const widths = { ...get().prefs.widths, [key]: Math.round(Math.max(minWidth(key), Math.min(MAX_WIDTH, width))) };
      const prefs = { ...get().prefs, widths };
      set({ loaded: true });
      if (keep) void save(prefs);
      else set({ prefs });
    },
    setHidden: (key, hidden) =>
      saveWith((prefs) => ({ ...prefs, hidden: hidden ? [...new Set([...prefs.hidden, key])] : prefs.hidden.filter((k) => k !== key) })),
    reset: () => void save(DEFAULT_COLUMN_PREFS),
  };
});

/** Puts the columns back as at start (tests). */
export function resetUserColumns(): void {
  loading = undefined;
  useUserColumnsStore.setState({ prefs: DEFAULT_COLUMN_PREFS, loaded: false, error: null });
}
