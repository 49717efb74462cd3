import { create } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { AuditEntry } from '#shared/model/audit';
import type { DirectoryCandidate, UserDetail, UserRow } from '#shared/model/user';
import type { AppError, Result } from '#shared/result';
import { call, subscribe } from '../../../api';
import { changedInput, draftErrors, NO_EDITS, pruneEdits, USERNAME_KEY, type DetailEdits } from './user-draft';
import { giveSessionPassword } from '../../../stores/session-password';
import { latestOnly } from '../../../lib/latest';

/** The detail screen's tabs. */
export type DetailTab = 'fields' | 'roles' | 'history';

interface UserDetailState {
  id: string | null;
  detail: UserDetail | null;
  loadError: AppError | null;
  tab: DetailTab;
  /** Typed, unsaved values: kept across tab switches and reloads, cleared by Discard. */
  edits: DetailEdits;
  saving: boolean;
  saveError: AppError | null;
  savedAt: number | null;
  /** The last failed action from the header or the Roles tab (login, roles, conversion), until dismissed. */
  actionError: AppError | null;
  /** An action (login toggle, role change) is waiting for main. */
  busy: boolean;
  history: AuditEntry[] | null;
  historyError: AppError | null;
  open(id: string): void;
  load(): Promise<void>;
  setTab(tab: DetailTab): void;
  editField(key: string, value: string): void;
  editUsername(value: string): void;
  discard(): void;
  save(): Promise<boolean>;
  setEnabled(enabled: boolean): Promise<void>;
  assignRole(roleId: string): Promise<void>;
  removeRole(roleId: string): Promise<void>;
  copyRoles(fromId: string): Promise<AppError | null>;
  toInternal(): Promise<AppError | null>;
  /** Directory entries with the user's username; a password typed for the realm goes to main first (nothing is kept here). */
  findInRealm(realmId: string, password?: string): Promise<Result<DirectoryCandidate[]>>;
  toExternal(realmId: string, dn: string): Promise<AppError | null>;
  remove(): Promise<AppError | null>;
  /** Users for the "copy roles from" picker (not the one open). */
  searchUsers(search: string): Promise<Result<UserRow[]>>;
  loadHistory(): Promise<void>;
  dismissActionError(): void;
  /** Reloads when main says this user, fields or roles changed; returns the unsubscribe function. */
  watch(): () => void;
}

// Answers can arrive out of order (an event-driven reload racing a save): only the newest may land.
const loads = latestOnly();
const historyLoads = latestOnly();

/** The user open on the detail screen: its fields and unsaved edits, roles, conversion and history. */
/** What the screen holds before a user is loaded (also when it switches to another user). */
const FRESH = {
  detail: null,
  loadError: null,
  tab: 'fields',
  edits: NO_EDITS,
  saving: false,
  saveError: null,
  savedAt: null,
  actionError: null,
  busy: false,
  history: null,
  historyError: null,
} satisfies Omit<Partial<UserDetailState>, 'id'>;

export const useUserDetailStore = create<UserDetailState>()((set, get) => {
  /** Applies a fresh UserDetail, keeping only the edits that still mean something. */
  const receive = (detail: UserDetail) => set(({ edits }) => ({ detail, loadError: null, edits: pruneEdits(detail, edits) }));
  /** After any change: the detail again, and the history if it has been looked at. */
  const refresh = async () => {
    await Promise.all([get().load(), get().history !== null || get().tab === 'history' ? get().loadHistory() : undefined]);
  };
  /** Runs an action on this user and refreshes; failures are returned, and kept in actionError unless a dialog shows them. */
  const act = async (run: (id: string) => Promise<Result<unknown>>, inDialog = false): Promise<AppError | null> => {
    const id = get().id;
    if (id === null) return null;
    set({ busy: true, actionError: null });
    const result = await run(id);
    if (get().id !== id) return null;
    set({ busy: false, ...(result.ok || inDialog ? {} : { actionError: result.error }) });
    if (result.ok) await refresh();
    return result.ok ? null : result.error;
  };
  return {
    id: null,
    ...FRESH,
    open: (id) => {
      // Coming back to the same user (e.g. from Settings) keeps the tab and unsaved edits.
      if (get().id !== id) {
        loads.invalidate();
        historyLoads.invalidate();
        set({ id, ...FRESH });
      }
      void get().load();
    },
    load: async () => {
      const id = get().id;
      if (id === null) return;
      const ticket = loads.next();
      const result = await call('users:get', { id });
      if (!loads.isCurrent(ticket) || get().id !== id) return;
      if (result.ok) receive(result.value);
      else set({ loadError: result.error });
    },
    setTab: (tab) => {
      set({ tab });
      if (tab === 'history') void get().loadHistory();
    },
    editField: (key, value) =>
      set(({ edits, saveError }) => ({
        edits: { ...edits, fields: { ...edits.fields, [key]: value } },
        saveError: saveError?.details?.field === key ? null : saveError,
      })),
    editUsername: (value) =>
      set(({ edits, saveError }) => ({ edits: { ...edits, username: value }, saveError: saveError?.details?.field === USERNAME_KEY ? null : saveError })),
    discard: () => set({ edits: NO_EDITS, saveError: null }),
    save: async () => {
      const { detail, edits, saving } = get();
      if (!detail || saving) return false;
      const input = changedInput(detail, edits);
      if (input === null) return true;
      if (Object.keys(draftErrors(detail, edits)).length > 0) {
        set({ saveError: { code: 'invalid-input', message: 'Fix the highlighted values before saving.' } });
        return false;
      }
      set({ saving: true, saveError: null });
      const result = await call('users:update', input);
      if (get().id !== detail.user.id) return false;
      if (!result.ok) {
        set({ saving: false, saveError: result.error });
        return false;
      }
      loads.invalidate();
      receive(result.value);
      set({ saving: false, savedAt: Date.now() });
      if (get().history !== null) void get().loadHistory();
      return true;
    },
    setEnabled: async (enabled) => {
      await act((id) => call('users:set-enabled', { target: { ids: [id] }, enabled }));
    },
    assignRole: async (roleId) => {
      await act((id) => call('users:assign-role', { target: { ids: [id] }, roleId }));
    },
    removeRole: async (roleId) => {
      await act((id) => call('users:remove-role', { target: { ids: [id] }, roleId }));
    },
    copyRoles: (fromId) => act((id) => call('users:copy-roles', { id, fromId }), true),
    toInternal: () => act((id) => call('users:to-internal', { id }), true),
    findInRealm: async (realmId, password) => {
      const id = get().id;
      if (id === null) return { ok: false, error: { code: 'not-found', message: 'No user is open.' } };
      if (password) {
        const refused = await giveSessionPassword(realmId, password);
        if (refused) return { ok: false, error: refused };
      }
      return call('users:find-in-realm', { id, realmId });
    },
    toExternal: (realmId, dn) => act((id) => call('users:to-external', { id, realmId, dn }), true),
    remove: async () => {
      const id = get().id;
      if (id === null) return null;
      const result = await call('users:delete', { id });
      return result.ok ? null : result.error;
    },
    searchUsers: async (search) => {
      const id = get().id;
      const result = await call('users:query', { query: { search }, limit: 20 });
      return result.ok ? { ok: true, value: result.value.rows.filter((row) => row.id !== id) } : result;
    },
    loadHistory: async () => {
      const id = get().id;
      if (id === null) return;
      const ticket = historyLoads.next();
      const result = await call('users:history', { id });
      if (!historyLoads.isCurrent(ticket) || get().id !== id) return;
      set(result.ok ? { history: result.value, historyError: null } : { historyError: result.error });
    },
    dismissActionError: () => set({ actionError: null }),
    watch: () => {
      const offUsers = subscribe('users:changed', ({ ids }) => {
        const id = get().id;
        if (id !== null && (ids.length === 0 || ids.includes(id))) void refresh();
      });
      // A lock set in Settings changes which fields are read-only; a renamed role changes the names shown.
      const offSettings = subscribe('settings:changed', () => void get().load());
      return () => {
        offUsers();
        offSettings();
      };
    },
  };
});

/** The open user's detail and whether it failed to load. */
export const useUserDetail = () => useUserDetailStore(useShallow((s) => ({ id: s.id, detail: s.detail, loadError: s.loadError })));

/** The unsaved edits of the Fields tab. */
export const useDetailEdits = () => useUserDetailStore((s) => s.edits);

/** Save state of the Fields tab. */
export const useDetailSaveStatus = () => useUserDetailStore(useShallow((s) => ({ saving: s.saving, saveError: s.saveError, savedAt: s.savedAt })));

/** The current tab. */
export const useDetailTab = () => useUserDetailStore((s) => s.tab);

/** The last failed action and whether one is running. */
export const useDetailActionStatus = () => useUserDetailStore(useShallow((s) => ({ busy: s.busy, actionError: s.actionError })));

/** The user's audit entries, newest first (null until loaded). */
export const useDetailHistory = () => useUserDetailStore(useShallow((s) => ({ history: s.history, error: s.historyError })));

/** The detail actions, for components (stable references). */
export const useDetailActions = () =>
  useUserDetailStore(
    useShallow((s) => ({
      open: s.open,
      load: s.load,
      setTab: s.setTab,
      editField: s.editField,
      editUsername: s.editUsername,
      discard: s.discard,
      save: s.save,
      setEnabled: s.setEnabled,
      assignRole: s.assignRole,
      removeRole: s.removeRole,
      copyRoles: s.copyRoles,
      toInternal: s.toInternal,
      findInRealm: s.findInRealm,
      toExternal: s.toExternal,
      remove: s.remove,
      searchUsers: s.searchUsers,
      loadHistory: s.loadHistory,
      dismissActionError: s.dismissActionError,
      watch: s.watch,
    })),
  );
