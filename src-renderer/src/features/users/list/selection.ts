import type { UserQuery, UserTarget } from '#shared/model/user';

/**
 * The list's selection: explicit ids, or every user the query matches ("select all in filter", which may be
 * more users than were ever fetched). `anchor` is the row index shift-click and Shift+Arrow extend from.
 */
export interface Selection {
  ids: ReadonlySet<string>;
  all: boolean;
  anchor: number | null;
}

/** Nothing selected. */
export const NO_SELECTION: Selection = { ids: new Set(), all: false, anchor: null };

/** Exactly one row (a plain click). */
export const selectOne = (id: string, index: number): Selection => ({ ids: new Set([id]), all: false, anchor: index });

/**
 * Flips one row (Ctrl/Cmd-click, Space, the row checkbox). Under "all in filter" there is no way to say
 * "all but this one" to main, so the flip starts from nothing.
 */
export function toggleOne(selection: Selection, id: string, index: number): Selection {
  const ids = new Set(selection.all ? [] : selection.ids);
  if (ids.has(id) && !selection.all) ids.delete(id);
  else ids.add(id);
  return { ids, all: false, anchor: index };
}

/** A range of rows (shift-click, Shift+Arrow); `additive` keeps what was selected before (Ctrl+Shift-click). */
export function selectRange(selection: Selection, rangeIds: readonly string[], anchor: number, additive: boolean): Selection {
  const ids = new Set(additive && !selection.all ? selection.ids : []);
  for (const id of rangeIds) ids.add(id);
  return { ids, all: false, anchor };
}

/** Every user the current query matches. */
export const selectAll = (): Selection => ({ ids: new Set(), all: true, anchor: null });

/** Whether a row is selected. */
export const isSelected = (selection: Selection, id: string): boolean => selection.all || selection.ids.has(id);

/** How many users the selection holds. */
export const selectedCount = (selection: Selection, total: number): number => (selection.all ? total : selection.ids.size);

/** What a bulk action applies to, or null when nothing is selected. */
export function bulkTarget(selection: Selection, query: UserQuery): UserTarget | null {
  if (selection.all) return { query };
  return selection.ids.size > 0 ? { ids: [...selection.ids] } : null;
}
