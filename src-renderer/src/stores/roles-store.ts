import { create } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { Role } from '#shared/model/user';
import type { AppError } from '#shared/result';
import { call, subscribe } from '../api';
import { latestOnly } from '../lib/latest';

interface RolesState {
  roles: Role[];
  loaded: boolean;
  loadError: AppError | null;
  load(): Promise<void>;
  /** Reloads whenever main says roles changed; returns the unsubscribe function. */
  watch(): () => void;
}

// Two loads can overlap (start-up and an event); only the newest answer may win.
const loads = latestOnly();

/** A small cache of the roles users can hold (`roles:list`), shared by every role picker. */
export const useRolesStore = create<RolesState>()((set, get) => ({
  roles: [],
  loaded: false,
  loadError: null,
  load: async () => {
    const ticket = loads.next();
    const result = await call('roles:list', {});
    if (!loads.isCurrent(ticket)) return;
    set(result.ok ? { roles: result.value, loaded: true, loadError: null } : { loaded: true, loadError: result.error });
  },
  watch: () =>
    subscribe('settings:changed', ({ what }) => {
      if (what === 'roles') void get().load();
    }),
}));

/** All roles, as main lists them. */
export const useRoles = () => useRolesStore((s) => s.roles);

/** Whether the roles have loaded, and the error from loading them, if any. */
export const useRolesStatus = () => useRolesStore(useShallow((s) => ({ loaded: s.loaded, loadError: s.loadError })));

/** The roles actions, for components (stable references). */
export const useRolesActions = () => useRolesStore(useShallow((s) => ({ load: s.load, watch: s.watch })));
