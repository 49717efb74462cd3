import { create } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { AppInfo } from '#shared/ipc/contract';
import type { AppError } from '#shared/result';
import { call } from '../api';
import type { ScreenId } from '../lib/screens';

interface AppState {
  screen: ScreenId;
  /** The user open on the Users screen (its detail replaces the list), or null for the list. */
  userId: string | null;
  /** Whether the person navigated yet; until then start-up may still pick the first screen. */
  navigated: boolean;
  info: AppInfo | null;
  infoError: AppError | null;
  /** Shows a screen; choosing Users (from anywhere) shows the list, not the user last open. */
  go(screen: ScreenId): void;
  openUser(id: string): void;
  closeUser(): void;
  /** Once start-up knows the store is empty (no realm, no user), shows Realms instead, unless the person moved on. */
  startEmpty(): void;
  loadInfo(): Promise<void>;
}

/** App-wide state: the current screen and what main says about itself (`app:info`). */
export const useAppStore = create<AppState>()((set) => ({
  // Users first: it is where the work is (an empty store switches to Realms, see startEmpty).
  screen: 'users',
  userId: null,
  navigated: false,
  info: null,
  infoError: null,
  go: (screen) => set(screen === 'users' ? { screen, userId: null, navigated: true } : { screen, navigated: true }),
  openUser: (id) => set({ screen: 'users', userId: id, navigated: true }),
  closeUser: () => set({ userId: null }),
  // Nothing works before a directory or a user exists: an empty store starts on Realms.
  startEmpty: () => set((s) => (s.navigated ? {} : { screen: 'realms' })),
  loadInfo: async () => {
    const result = await call('app:info', {});
    set(result.ok ? { info: result.value, infoError: null } : { infoError: result.error });
  },
}));

/** The screen shown in the main area. */
export const useScreen = () => useAppStore((s) => s.screen);

/** The user whose detail is open, or null. */
export const useOpenUserId = () => useAppStore((s) => s.userId);

/** Opening and closing a user's detail (stable references). */
export const useUserNavigation = () => useAppStore(useShallow((s) => ({ openUser: s.openUser, closeUser: s.closeUser })));

/** `app:info` and the error from reading it, if any. */
export const useAppInfo = () => useAppStore(useShallow((s) => ({ info: s.info, error: s.infoError })));

/** Whether bind passwords survive a restart, and if not, why (null until `app:info` answers). */
export const useSecretsInfo = () => useAppStore((s) => s.info?.secrets ?? null);
