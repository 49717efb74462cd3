import type { UserColumnPrefs } from '#shared/ipc/contract';
import type { UserSortColumn } from '#shared/model/user';

/** The keys of the user table's columns. */
export type UserColumnKey = 'username' | 'displayName' | 'email' | 'department' | 'title' | 'kind' | 'realm' | 'enabled' | 'syncedAt' | 'markers';

/** A column of the user table. */
export interface UserColumn {
  key: UserColumnKey;
  label: string;
  /** The query's sort column, when the column can be sorted by. */
  sort?: UserSortColumn;
  /** The narrowest it may be, in px: its header (label and sort arrow) and its content fit whole. */
  min: number;
  /** Its share of the room left over (0: it keeps `min`), until the admin sets a width. */
  grow: number;
  /** Whether the admin may hide it (the username always shows: rows are named by it). */
  hideable: boolean;
}

/** Every column, in the default order. Minimums fit the 1280 px window (see e2e/users-list-polish.spec.ts). */
export const USER_COLUMNS: readonly UserColumn[] = [
  { key: 'username', label: 'Username', sort: 'username', min: 98, grow: 1, hideable: false },
  { key: 'displayName', label: 'Full name', sort: 'displayName', min: 96, grow: 1.3, hideable: true },
  { key: 'email', label: 'Email', sort: 'email', min: 80, grow: 1.5, hideable: true },
  { key: 'department', label: 'Department', sort: 'department', min: 112, grow: 0.8, hideable: true },
  { key: 'title', label: 'Title', sort: 'title', min: 60, grow: 0.8, hideable: true },
  { key: 'kind', label: 'Kind', sort: 'kind', min: 76, grow: 0, hideable: true },
  { key: 'realm', label: 'Realm', min: 96, grow: 1, hideable: true },
  { key: 'enabled', label: 'Login', sort: 'enabled', min: 82, grow: 0, hideable: true },
  { key: 'syncedAt', label: 'Last synced', sort: 'syncedAt', min: 110, grow: 0, hideable: true },
  { key: 'markers', label: 'Data', min: 74, grow: 0, hideable: true },
];

const BY_KEY = new Map(USER_COLUMNS.map((c) => [c.key, c]));

/**
 * No arrangement saved: default order and widths, Kind hidden — the Realm column already says "Internal" or
 * names the directory, and at 1280 px its 76 px go to Full name, Email and Realm. The Columns menu shows it.
 */
export const DEFAULT_COLUMN_PREFS: UserColumnPrefs = { order: [], hidden: ['kind'], widths: {} };

/** The admin's columns in their order: saved keys first (unknown ones dropped), then any column added since; hidden ones left out. */
export function arrangeColumns(prefs: UserColumnPrefs): UserColumn[] {
  const known = prefs.order.flatMap((key) => BY_KEY.get(key as UserColumnKey) ?? []);
  const all = [...new Set([...known, ...USER_COLUMNS])];
  return all.filter((c) => !(c.hideable && prefs.hidden.includes(c.key)));
}

/** Every column key in the admin's order, hidden ones included. */
export const columnOrder = (prefs: UserColumnPrefs): UserColumnKey[] => {
  const known = prefs.order.filter((key): key is UserColumnKey => BY_KEY.has(key as UserColumnKey));
  return [...new Set([...known, ...USER_COLUMNS.map((c) => c.key)])];
};

/** The grid tracks: the checkbox column, then each shown column (a set width, or its minimum and share). */
export function gridTemplate(columns: readonly UserColumn[], widths: Readonly<Record<string, number>>): string {
  const tracks = columns.map((c) => {
    const set = widths[c.key];
    if (set !== undefined) return `${Math.max(c.min, set)}px`;
    return c.grow > 0 ? `minmax(${c.min}px, ${c.grow}fr)` : `${c.min}px`;
  });
  return ['34px', ...tracks].join(' ');
}

/** The smallest width a column may be given. */
export const minWidth = (key: UserColumnKey): number => BY_KEY.get(key)?.min ?? 60;

/** Pixel height of every row (fixed: the virtualiser needs no measuring). */
export const ROW_HEIGHT = 32;
