import { create } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { AppInfo } from '../../../src-shared/ipc/contract';
import type { AppError } from '../../../src-shared/result';
import { call } from '../api';
import type { ScreenId } from '../lib/screens';

interface AppState {
  screen: ScreenId;
  info: AppInfo | null;
  infoError: AppError | null;
  go(screen: ScreenId): void;
  loadInfo(): Promise<void>;
}

/** App-wide state: the current screen and what main says about itself (`app:info`). */
export const useAppStore = create<AppState>()((set) => ({
  // Realms first: nothing else works until a directory is configured.
  screen: 'realms',
  info: null,
  infoError: null,
  go: (screen) => set({ screen }),
  loadInfo: async () => {
    const result = await call('app:info', {});
    set(result.ok ? { info: result.value, infoError: null } : { infoError: result.error });
  },
}));

/** The screen shown in the main area. */
export const useScreen = () => useAppStore((s) => s.screen);

/** `app:info` and the error from reading it, if any. */
export const useAppInfo = () => useAppStore(useShallow((s) => ({ info: s.info, error: s.infoError })));

/** Whether bind passwords survive a restart, and if not, why (null until `app:info` answers). */
export const useSecretsInfo = () => useAppStore((s) => s.info?.secrets ?? null);
