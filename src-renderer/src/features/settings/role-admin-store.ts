import { create } from 'zustand';
import type { AppError, Result } from '#shared/result';
import { call } from '../../api';
import { useRolesStore } from '../../stores/roles-store';

interface RoleAdminState {
  create(name: string): Promise<AppError | null>;
  rename(id: string, name: string): Promise<AppError | null>;
  /** `force` removes the role from the users holding it (the UI asks first). */
  remove(id: string, force: boolean): Promise<AppError | null>;
}

/** After a change: the shared role cache reloads, so every picker sees it at once. */
async function settle(result: Result<unknown>): Promise<AppError | null> {
  if (!result.ok) return result.error;
  await useRolesStore.getState().load();
  return null;
}

/**
 * Creating, renaming and deleting roles (Settings). The role list itself lives in the shared roles store;
 * this store only holds the actions that change it.
 */
export const useRoleAdminStore = create<RoleAdminState>()(() => ({
  create: async (name) => settle(await call('roles:create', { name })),
  rename: async (id, name) => settle(await call('roles:rename', { id, name })),
  remove: async (id, force) => settle(await call('roles:delete', { id, force })),
}));

/** The role actions (stable references: the store has no data). */
export const useRoleAdmin = () => useRoleAdminStore.getState();
