import { create } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { Realm } from '#shared/model/realm';
import type { AppError } from '#shared/result';
import { call, subscribe } from '../api';
import { fullTime, timeAgo } from '../lib/format-time';
import { latestOnly } from '../lib/latest';

interface RealmsState {
  realms: Realm[];
  loaded: boolean;
  loadError: AppError | null;
  /** The last failed list operation (enable, reorder), shown above the list until dismissed. */
  listError: AppError | null;
  load(): Promise<void>;
  upsert(realm: Realm): void;
  setEnabled(id: string, enabled: boolean): Promise<void>;
  move(id: string, delta: -1 | 1): Promise<void>;
  remove(id: string): Promise<AppError | null>;
  dismissListError(): void;
  /** Reloads whenever main says realms changed; returns the unsubscribe function. */
  watch(): () => void;
}

// Moves can fire faster than main answers (a held Alt+Arrow); only the newest answer may win.
const reorders = latestOnly();

/** Realms in display order and the list operations on them. */
export const useRealmsStore = create<RealmsState>()((set, get) => ({
  realms: [],
  loaded: false,
  loadError: null,
  listError: null,
  load: async () => {
    const result = await call('realms:list', {});
    set(result.ok ? { realms: result.value, loaded: true, loadError: null } : { loaded: true, loadError: result.error });
  },
  upsert: (realm) =>
    set(({ realms }) => ({
      realms: realms.some((r) => r.id === realm.id) ? realms.map((r) => (r.id === realm.id ? realm : r)) : [...realms, realm],
    })),
  setEnabled: async (id, enabled) => {
    // Optimistic: a switch that lags behind the click feels broken.
    set(({ realms }) => ({ realms: realms.map((r) => (r.id === id ? { ...r, enabled } : r)), listError: null }));
    const result = await call('realms:set-enabled', { id, enabled });
    if (result.ok) get().upsert(result.value);
    else {
      set({ listError: result.error });
      await get().load();
    }
  },
  move: async (id, delta) => {
    const ids = get().realms.map((r) => r.id);
    const from = ids.indexOf(id);
    const to = from + delta;
    if (from < 0 || to < 0 || to >= ids.length) return;
    ids.splice(to, 0, ...ids.splice(from, 1));
    const byId = new Map(get().realms.map((r) => [r.id, r]));
    set({ realms: ids.flatMap((x) => byId.get(x) ?? []), listError: null });
    const ticket = reorders.next();
    const result = await call('realms:reorder', { ids });
    if (!reorders.isCurrent(ticket)) return;
    if (result.ok) set({ realms: result.value });
    else {
      set({ listError: result.error });
      await get().load();
    }
  },
  remove: async (id) => {
    const result = await call('realms:delete', { id });
    if (!result.ok) return result.error;
    set(({ realms }) => ({ realms: realms.filter((r) => r.id !== id) }));
    return null;
  },
  dismissListError: () => set({ listError: null }),
  watch: () => subscribe('realms:changed', () => void get().load()),
}));

/** All realms in display order. */
export const useRealms = () => useRealmsStore((s) => s.realms);

/** One realm by id, or undefined. */
export const useRealm = (id: string | undefined) => useRealmsStore((s) => (id === undefined ? undefined : s.realms.find((r) => r.id === id)));

/** Whether the list has loaded, and the errors to show above it. */
export const useRealmsStatus = () =>
  useRealmsStore(useShallow((s) => ({ loaded: s.loaded, loadError: s.loadError, listError: s.listError, count: s.realms.length })));

/** The list actions, for components (stable references). */
export const useRealmActions = () =>
  useRealmsStore(
    useShallow((s) => ({ load: s.load, setEnabled: s.setEnabled, move: s.move, remove: s.remove, dismissListError: s.dismissListError, watch: s.watch })),
  );

/** One line of a realm card: what it says, and the tooltip with the full time. */
export interface ActivityLine {
  text: string;
  title?: string;
}

/** What a realm's card says about it: the last connection test (result and when), the last import and reconcile. */
export interface RealmActivity {
  test: ActivityLine & { state: 'ok' | 'failed' | 'untested' | 'file' };
  imported: ActivityLine;
  reconciled: ActivityLine;
}

/** The card's lines for a realm, from what main recorded (`now` for "5 minutes ago"). */
export function realmActivity(realm: Realm, now = Date.now()): RealmActivity {
  const { lastTest, lastImportAt, lastReconcileAt } = realm;
  const test: RealmActivity['test'] = lastTest
    ? {
        state: lastTest.ok ? 'ok' : 'failed',
        text: `${lastTest.ok ? 'Tested OK' : 'Test failed'} · ${timeAgo(lastTest.at, now)}`,
        title: `Last test ${fullTime(lastTest.at)}\n${lastTest.message}`,
      }
    : realm.kind === 'ldif-file'
      ? { state: 'file', text: 'Offline file' }
      : { state: 'untested', text: 'Never tested' };
  return {
    test,
    imported: lastImportAt
      ? { text: `Imported ${timeAgo(lastImportAt, now)}`, title: `Last import finished ${fullTime(lastImportAt)}` }
      : { text: 'Not imported yet' },
    reconciled: lastReconcileAt
      ? { text: `Reconciled ${timeAgo(lastReconcileAt, now)}`, title: `Last reconciled ${fullTime(lastReconcileAt)}` }
      : { text: 'Never reconciled' },
  };
}
