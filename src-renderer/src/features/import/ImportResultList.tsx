import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, type KeyboardEvent, type MouseEvent } from 'react';
import { useImportActions, useImportResult, useImportSelection, useImportStore } from './import-store';
import type { UsernameClashChoice } from '#shared/model/username-clash';
import { IMPORT_ROW_HEIGHT, ImportResultRow, importRowId } from './ImportResultRow';
import { rowAt } from './result-pages';

const CLASH_KEYS: Record<string, UsernameClashChoice> = { l: 'link', i: 'rename', s: 'skip' };

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

  const reveal = (index: number) => {
    const grid = gridRef.current;
    if (!grid) return;
    const top = index * IMPORT_ROW_HEIGHT;
    if (top < grid.scrollTop) grid.scrollTop = top;
    else if (top + IMPORT_ROW_HEIGHT > grid.scrollTop + grid.clientHeight) grid.scrollTop = top + IMPORT_ROW_HEIGHT - grid.clientHeight;
  };

  const keyDown = (event: KeyboardEvent) => {
    if (total === 0) return;
    // Read from the store, not this render: key repeat may outrun re-rendering.
    const { focusIndex: at } = useImportStore.getState();
    const page = Math.max(1, Math.floor((gridRef.current?.clientHeight ?? 400) / IMPORT_ROW_HEIGHT) - 1);
    const move = (to: number) => {
      event.preventDefault();
      const next = Math.max(0, Math.min(total - 1, to));
      void actions.moveFocus(next, event.shiftKey);
      reveal(next);
    };
    switch (event.key) {
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
        event.preventDefault();
        return actions.toggleFocused();
      case 'Escape':
        event.preventDefault();
        return actions.clearSelection();
      case 'a':
      case 'A':
        if (!(event.ctrlKey || event.metaKey)) return;
        event.preventDefault();
        return actions.selectAll();
      case 'l':
      case 'L':
      case 'i':
      case 'I':
      case 's':
      case 'S':
        return chooseForFocused(event, CLASH_KEYS[event.key.toLowerCase()]!);
      default:
        return;
    }
  };

  // On an entry whose username is taken: L links, I imports under another name, S skips.
  const chooseForFocused = (event: KeyboardEvent, choice: UsernameClashChoice) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const { pages, focusIndex: at } = useImportStore.getState();
    const row = rowAt(pages, at);
    if (row?.status !== 'clash') return;
    event.preventDefault();
    actions.setRowClash(row.dn, choice);
  };

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
