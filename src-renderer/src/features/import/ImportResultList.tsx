import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, type KeyboardEvent, type MouseEvent } from 'react';
import { useImportActions, useImportResult, useImportSelection, useImportStore } from './import-store';
import type { UsernameClashChoice } from '#shared/model/username-clash';
import { IMPORT_ROW_HEIGHT, ImportResultRow, importRowId } from './ImportResultRow';
import { rowAt } from './result-pages';
import { useGridKeys } from '../../lib/use-grid-keys';

const CLASH_KEYS = new Map<string, UsernameClashChoice>([
  ['l', 'link'],
  ['i', 'rename'],
  ['s', 'skip'],
]);

/**
 * Every entry of the result, however many: a virtualised ARIA grid paging through `import:page`. The grid
 * keeps focus and points at the focused row, so arrows, Space and Shift work while rows are recycled.
 */
export function ImportResultList() {
  const { total, viewGen } = useImportResult();
  const { focusIndex } = useImportSelection();
  const actions = useImportActions();
  const gridRef = useRef<HTMLDivElement>(null);

  // The build has no React Compiler; the virtualiser's methods are only read during this render.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => gridRef.current,
    estimateSize: () => IMPORT_ROW_HEIGHT,
    overscan: 10,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items.at(-1)?.index ?? 0;
  const { showRange } = actions;
  useEffect(() => {
    if (total > 0) showRange({ start: first, end: last });
  }, [first, last, total, showRange, viewGen]);

  // Another result or chip starts at the top.
  useEffect(() => {
    if (gridRef.current) gridRef.current.scrollTop = 0;
  }, [viewGen]);

  // On an entry whose username is taken: L links, I imports under another name, S skips.
  const chooseForFocused = (event: KeyboardEvent) => {
    const choice = CLASH_KEYS.get(event.key.toLowerCase());
    if (!choice || event.ctrlKey || event.metaKey || event.altKey) return;
    const { pages, focusIndex: at } = useImportStore.getState();
    const row = rowAt(pages, at);
    if (row?.status !== 'clash') return;
    event.preventDefault();
    actions.setRowClash(row.dn, choice);
  };

  const keyDown = useGridKeys({
    gridRef,
    total,
    rowHeight: IMPORT_ROW_HEIGHT,
    activeIndex: () => useImportStore.getState().focusIndex,
    onMove: (index, extend) => void actions.moveFocus(index, extend),
    onToggle: () => actions.toggleFocused(),
    onSelectAll: actions.selectAll,
    onClear: actions.clearSelection,
    onOtherKey: chooseForFocused,
  });

  const click = (index: number, event: MouseEvent) => {
    gridRef.current?.focus({ preventScroll: true });
    void actions.clickRow(index, event.shiftKey);
  };

  const focusRendered = items.some((item) => item.index === focusIndex);
  return (
    <>
      <div
        ref={gridRef}
        className="import-grid"
        role="grid"
        aria-label="Directory entries found"
        aria-rowcount={total}
        aria-multiselectable="true"
        aria-activedescendant={focusRendered ? importRowId(focusIndex) : undefined}
        aria-describedby="import-grid-keys"
        tabIndex={0}
        data-testid="import-grid"
        onKeyDown={keyDown}
      >
        <div role="rowgroup" className="import-grid__body" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => (
            <ImportResultRow key={item.index} index={item.index} top={item.start} focused={item.index === focusIndex} onClick={click} />
          ))}
        </div>
      </div>
      <p id="import-grid-keys" className="visually-hidden">
        Arrows move, Space selects, Shift with an arrow or a click selects a range, Ctrl+A selects all. On an entry whose username is taken, L links it, I
        imports it under another username, S skips it; its details follow the grid.
      </p>
    </>
  );
}
