/**
 * The keys of a row grid (the users list, the import results): an ARIA grid that keeps focus itself and
 * points at one active row. Pure, so the key → action mapping is tested without a DOM; use-grid-keys.ts
 * wires it to an element and a store.
 */

/** What a key asks of the grid. */
export type GridKeyAction =
  /** Make row `to` the active one (already within the grid); `extend` (Shift) selects the range from the anchor. */
  | { kind: 'move'; to: number; extend: boolean }
  /** Space: select or unselect the active row. */
  | { kind: 'toggle' }
  /** Enter: open the active row. */
  | { kind: 'open' }
  /** Escape: clear the selection. */
  | { kind: 'clear' }
  /** Ctrl+A or ⌘A: select every row. */
  | { kind: 'select-all' };

/** The part of a keyboard event the mapping reads. */
export interface GridKey {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
}

/**
 * The action for `key` with row `at` active, in a grid of `total` rows showing `page` rows at a time;
 * null for a key the grid leaves alone (or any key when there are no rows). Arrows, Page Up/Down, Home and
 * End move within the grid, stopping at either end; with Shift they extend the selection.
 */
export function gridKeyAction(key: GridKey, at: number, total: number, page: number): GridKeyAction | null {
  if (total <= 0) return null;
  const move = (to: number): GridKeyAction => ({ kind: 'move', to: Math.max(0, Math.min(total - 1, to)), extend: key.shiftKey });
  switch (key.key) {
    case 'ArrowDown':
      return move(at + 1);
    case 'ArrowUp':
      return move(at - 1);
    case 'PageDown':
      return move(at + page);
    case 'PageUp':
      return move(at - page);
    case 'Home':
      return move(0);
    case 'End':
      return move(total - 1);
    case ' ':
      return { kind: 'toggle' };
    case 'Enter':
      return { kind: 'open' };
    case 'Escape':
      return { kind: 'clear' };
    case 'a':
    case 'A':
      return key.ctrlKey || key.metaKey ? { kind: 'select-all' } : null;
    default:
      return null;
  }
}

/**
 * Rows Page Up/Down move: those that fit below the grid's sticky header (`headHeight`, 0 for none), less
 * one kept in view from the page before; at least one.
 */
export function pageRows(clientHeight: number, rowHeight: number, headHeight: number): number {
  return Math.max(1, Math.floor((clientHeight - headHeight) / rowHeight) - 1);
}

/**
 * The scrollTop that shows row `index` fully below the sticky header by scrolling the least, or null when
 * it is in view already.
 */
export function revealScrollTop(index: number, view: { scrollTop: number; clientHeight: number }, rowHeight: number, headHeight: number): number | null {
  const top = index * rowHeight;
  if (top < view.scrollTop) return top;
  const bottom = headHeight + top + rowHeight;
  if (bottom > view.scrollTop + view.clientHeight) return bottom - view.clientHeight;
  return null;
}
