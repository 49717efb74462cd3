import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, type CSSProperties, type MouseEvent, type RefObject } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { markAfterPaint } from './paint-mark';
import { useGridKeys } from '../../../lib/use-grid-keys';
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

  const open = (index: number) => {
    const row = rowAt(useUsersListStore.getState().blocks, index);
    if (row) openUser(row.id);
  };

  const keyDown = useGridKeys({
    gridRef,
    total,
    rowHeight: ROW_HEIGHT,
    headHeight: HEAD_HEIGHT,
    activeIndex: () => useUsersListStore.getState().focusIndex,
    onMove: (index, extend) => void actions.moveFocus(index, extend),
    onToggle: actions.toggleRow,
    onOpen: open,
    onSelectAll: actions.selectAllInFilter,
    onClear: actions.clearSelection,
    // Escape with nothing selected is left to the page.
    canClear: () => selectedCount(selection, total) > 0,
    // The header's sort buttons keep their keys.
    leaveButtonKeys: true,
  });

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
