import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, type CSSProperties, type KeyboardEvent, type MouseEvent, type RefObject } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { markAfterPaint } from './paint-mark';
import { useUserNavigation } from '../../../stores/app-store';
import { useUsersListActions, useUsersListStore, useUsersSelection, useUsersSort } from './users-list-store';
import { rowAt } from './row-blocks';
import { selectedCount } from './selection';
import { useUserColumnsStore } from './user-columns-store';
import { arrangeColumns, gridTemplate, ROW_HEIGHT } from './columns';
import { UserTableHeader } from './UserTableHeader';
import { rowDomId, UserTableRow } from './UserTableRow';

/** Height of the sticky header row: rows scroll beneath it. */
const HEAD_HEIGHT = 32;

/**
 * Marks `roster:rows-painted` (with the search, sort and total) after each answer's rows reach the screen,
 * so bench/ui.ts times a keystroke or a scroll inside the page. Renders nothing.
 */
function RowsPaintMark() {
  const answers = useUsersListStore((s) => s.answers);
  useLayoutEffect(() => {
    if (answers === 0) return;
    const { query, total } = useUsersListStore.getState();
    markAfterPaint('roster:rows-painted', { search: query.search, column: query.sort.column, direction: query.sort.direction, total });
  }, [answers]);
  return null;
}

/**
 * The user table: an ARIA grid over the whole result (aria-rowcount), rendering only the rows on screen.
 * The grid itself holds focus and points at the focused row with aria-activedescendant, so focus survives
 * rows being recycled as they scroll out of view.
 */
export const UserTable = memo(function UserTable({ gridRef }: { gridRef: RefObject<HTMLDivElement | null> }) {
  const { total, queryVersion } = useUsersListStore(useShallow((s) => ({ total: s.total, queryVersion: s.queryVersion })));
  const sort = useUsersSort();
  const { selection, focusIndex } = useUsersSelection();
  const actions = useUsersListActions();
  const { openUser } = useUserNavigation();
  const savedOffset = useRef(useUsersListStore.getState().scrollOffset);
  const columnPrefs = useUserColumnsStore((s) => s.prefs);
  const columns = useMemo(() => arrangeColumns(columnPrefs), [columnPrefs]);
  useEffect(() => void useUserColumnsStore.getState().load(), []);

  // The build has no React Compiler; the virtualiser's methods are only read during this render.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => gridRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    scrollMargin: HEAD_HEIGHT,
    initialOffset: () => savedOffset.current,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items.at(-1)?.index ?? 0;

  const { showRange, setScrollOffset } = actions;
  useEffect(() => {
    if (total > 0) showRange({ start: first, end: last });
  }, [first, last, total, showRange]);

  // Back from a user's detail: the list is where it was. The offset is kept as the table unmounts.
  useLayoutEffect(() => {
    const grid = gridRef.current;
    if (grid) grid.scrollTop = savedOffset.current;
    return () => setScrollOffset(savedOffset.current);
  }, [gridRef, setScrollOffset]);

  // A new search, filter or sort starts at the top (not on mount: that is the restore above). Only when the
  // grid is not there already, as the scroll events last said: setting scrollTop lays the page out at once,
  // in the keystroke's own task, and the answer's rows would then need a second layout.
  const shownVersion = useRef(queryVersion);
  useEffect(() => {
    if (shownVersion.current === queryVersion) return;
    shownVersion.current = queryVersion;
    if (gridRef.current && savedOffset.current !== 0) {
      gridRef.current.scrollTop = 0;
      savedOffset.current = 0;
    }
  }, [queryVersion, gridRef]);

  /** Scrolls the least needed to show a row fully below the sticky header. */
  const reveal = (index: number) => {
    const grid = gridRef.current;
    if (!grid) return;
    const top = HEAD_HEIGHT + index * ROW_HEIGHT;
    if (top - HEAD_HEIGHT < grid.scrollTop) grid.scrollTop = top - HEAD_HEIGHT;
    else if (top + ROW_HEIGHT > grid.scrollTop + grid.clientHeight) grid.scrollTop = top + ROW_HEIGHT - grid.clientHeight;
  };

  const open = (index: number) => {
    const row = rowAt(useUsersListStore.getState().blocks, index);
    if (row) openUser(row.id);
  };

  const keyDown = (event: KeyboardEvent) => {
    if (event.target instanceof HTMLButtonElement || total === 0) return;
    // Read from the store, not this render: key repeat may outrun re-rendering.
    const { focusIndex } = useUsersListStore.getState();
    const page = Math.max(1, Math.floor((gridRef.current?.clientHeight ?? 400) / ROW_HEIGHT) - 2);
    const move = (to: number) => {
      event.preventDefault();
      const next = Math.max(0, Math.min(total - 1, to));
      void actions.moveFocus(next, event.shiftKey);
      reveal(next);
    };
    const mod = event.ctrlKey || event.metaKey;
    switch (event.key) {
      case 'ArrowDown':
        return move(focusIndex + 1);
      case 'ArrowUp':
        return move(focusIndex - 1);
      case 'PageDown':
        return move(focusIndex + page);
      case 'PageUp':
        return move(focusIndex - page);
      case 'Home':
        return move(0);
      case 'End':
        return move(total - 1);
      case ' ':
        event.preventDefault();
        return actions.toggleRow(focusIndex);
      case 'Enter':
        event.preventDefault();
        return open(focusIndex);
      case 'Escape':
        if (selectedCount(selection, total) === 0) return;
        event.preventDefault();
        return actions.clearSelection();
      case 'a':
      case 'A':
        if (!mod) return;
        event.preventDefault();
        return actions.selectAllInFilter();
      default:
        return;
    }
  };

  // Stable, so rows (memoised) re-render only when their own data, position or focus changes.
  const { clickRow, checkRow } = actions;
  const click = useCallback(
    (index: number, event: MouseEvent) => {
      gridRef.current?.focus({ preventScroll: true });
      void clickRow(index, { shift: event.shiftKey, toggle: event.ctrlKey || event.metaKey });
    },
    [gridRef, clickRow],
  );
  const toggle = useCallback(
    (index: number, shift: boolean) => {
      gridRef.current?.focus({ preventScroll: true });
      void checkRow(index, shift);
    },
    [gridRef, checkRow],
  );

  const focusRendered = items.some((item) => item.index === focusIndex);
  const style = { '--user-columns': gridTemplate(columns, columnPrefs.widths) } as CSSProperties;
  return (
    <div
      ref={gridRef}
      className="user-grid"
      role="grid"
      aria-label="Users"
      aria-rowcount={total + 1}
      aria-colcount={columns.length + 1}
      aria-multiselectable="true"
      aria-activedescendant={focusRendered ? rowDomId(focusIndex) : undefined}
      tabIndex={0}
      style={style}
      data-testid="user-grid"
      onKeyDown={keyDown}
      onScroll={(event) => {
        savedOffset.current = event.currentTarget.scrollTop;
      }}
    >
      <UserTableHeader
        columns={columns}
        sort={sort}
        total={total}
        selectedCount={selectedCount(selection, total)}
        allSelected={selection.all}
        onSort={(column) => void actions.sortBy(column)}
        onSelectAll={actions.selectAllInFilter}
        onClearSelection={actions.clearSelection}
      />
      <RowsPaintMark />
      <div role="rowgroup" className="user-grid__body" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((item) => (
          <UserTableRow
            key={item.index}
            index={item.index}
            columns={columns}
            top={item.start - HEAD_HEIGHT}
            focused={item.index === focusIndex}
            onClick={click}
            onToggle={toggle}
            onOpen={openUser}
          />
        ))}
      </div>
    </div>
  );
});
