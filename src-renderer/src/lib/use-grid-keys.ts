import type { KeyboardEvent, RefObject } from 'react';
import { gridKeyAction, pageRows, revealScrollTop } from './grid-keys';

export interface GridKeysOptions {
  /** The scrolling grid element, which holds focus and points at the active row. */
  gridRef: RefObject<HTMLElement | null>;
  /** Rows in the grid; with none, every key is left alone. */
  total: number;
  /** Each row's height, in pixels. */
  rowHeight: number;
  /** A sticky header's height inside the scrolling grid, above the rows (0, the default, for none). */
  headHeight?: number;
  /** The active row now: read it from the store, not the render, as key repeat may outrun re-rendering. */
  activeIndex(): number;
  /** Arrows, Page Up/Down, Home, End: make `index` the active row; `extend` (Shift held) selects the range. */
  onMove(index: number, extend: boolean): void;
  /** Space, on the active row. */
  onToggle(index: number): void;
  /** Enter, on the active row; without it Enter is left alone. */
  onOpen?(index: number): void;
  /** Ctrl+A or ⌘A. */
  onSelectAll(): void;
  /** Escape. */
  onClear(): void;
  /** Whether Escape has anything to clear now; when it says no, Escape is left alone. Without it, Escape always clears. */
  canClear?(): boolean;
  /** Keys pressed on a button inside the grid (a header's) are left to the button. */
  leaveButtonKeys?: boolean;
  /** Any key the grid has no use for (only while it has rows). */
  onOtherKey?(event: KeyboardEvent): void;
}

/**
 * The keyboard of a row grid (see grid-keys.ts): returns the grid's onKeyDown. Needs no React state: the
 * active row is read from the caller's store at each key.
 */
export function useGridKeys(options: GridKeysOptions): (event: KeyboardEvent) => void {
  return (event) => gridKeyDown(options, event);
}

/**
 * One key on the grid: a move scrolls the least needed to show the new active row; each key the grid uses
 * has its default prevented, and no other.
 */
export function gridKeyDown(options: GridKeysOptions, event: KeyboardEvent): void {
  const { gridRef, total, rowHeight, headHeight = 0 } = options;
  if ((options.leaveButtonKeys && event.target instanceof HTMLButtonElement) || total === 0) return;
  const grid = gridRef.current;
  const at = options.activeIndex();
  const action = gridKeyAction(event, at, total, pageRows(grid?.clientHeight ?? 400, rowHeight, headHeight));
  switch (action?.kind) {
    case undefined:
      return options.onOtherKey?.(event);
    case 'move': {
      event.preventDefault();
      options.onMove(action.to, action.extend);
      const scrollTop = grid ? revealScrollTop(action.to, grid, rowHeight, headHeight) : null;
      if (grid && scrollTop !== null) grid.scrollTop = scrollTop;
      return;
    }
    case 'toggle':
      event.preventDefault();
      return options.onToggle(at);
    case 'open':
      if (!options.onOpen) return;
      event.preventDefault();
      return options.onOpen(at);
    case 'clear':
      if (options.canClear && !options.canClear()) return;
      event.preventDefault();
      return options.onClear();
    case 'select-all':
      event.preventDefault();
      return options.onSelectAll();
  }
}
