import type { UserSortColumn } from '../../../../../src-shared/model/user';

/** A column of the user table. */
export interface UserColumn {
  key: string;
  label: string;
  /** The query's sort column, when the column can be sorted by. */
  sort?: UserSortColumn;
  /** Its CSS grid track. */
  width: string;
}

/** The table's columns after the selection checkbox, in order. */
export const USER_COLUMNS: readonly UserColumn[] = [
  { key: 'username', label: 'Username', sort: 'username', width: 'minmax(96px, 1fr)' },
  { key: 'displayName', label: 'Full name', sort: 'displayName', width: 'minmax(104px, 1.2fr)' },
  { key: 'email', label: 'Email', sort: 'email', width: 'minmax(120px, 1.5fr)' },
  { key: 'department', label: 'Department', sort: 'department', width: 'minmax(88px, 1fr)' },
  { key: 'title', label: 'Title', sort: 'title', width: 'minmax(80px, 1fr)' },
  { key: 'kind', label: 'Kind', sort: 'kind', width: 'minmax(100px, 0.9fr)' },
  { key: 'enabled', label: 'Login', sort: 'enabled', width: '92px' },
  { key: 'syncedAt', label: 'Last synced', sort: 'syncedAt', width: '96px' },
  { key: 'markers', label: 'Data', width: '72px' },
];

/** The grid tracks: the checkbox column, then each column. */
export const GRID_TEMPLATE = ['34px', ...USER_COLUMNS.map((c) => c.width)].join(' ');

/** Pixel height of every row (fixed: the virtualiser needs no measuring). */
export const ROW_HEIGHT = 32;
