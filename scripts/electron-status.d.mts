// Types for scripts/electron-status.mjs (plain JavaScript, so npm's postinstall runs it before anything is built).
import type { SpawnSyncOptions, SpawnSyncReturns } from 'node:child_process';

export interface PinnedElectron {
  version: string;
  integrity: string | undefined;
}
export type ElectronStatus =
  | { state: 'ready'; dir: string; version: string; binary: string }
  | { state: 'no-binary'; dir: string; version: string; reason: string }
  | ({ state: 'no-package'; dir: string; reason: string } & PinnedElectron);
export function pinnedElectron(root: string): PinnedElectron;
export function electronStatus(root: string, env?: NodeJS.ProcessEnv): ElectronStatus;
export function noticeLine(status: { reason: string; version: string }): string;
export function runNpm(args: string[], options?: SpawnSyncOptions): SpawnSyncReturns<string>;
export function restoreElectronPackage(root: string, pinned?: PinnedElectron): Promise<void>;
