import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import type { UserSort, UserSortColumn } from '#shared/model/user';
import { useUserColumnsStore } from './user-columns-store';
import type { UserColumn, UserColumnKey } from './columns';
import { formatCount } from './format-count';

interface UserTableHeaderProps {
  columns: readonly UserColumn[];
  sort: UserSort;
  total: number;
  selectedCount: number;
  allSelected: boolean;
  onSort(column: UserSortColumn): void;
  onSelectAll(): void;
  onClearSelection(): void;
}

/** How far one Alt+Shift+Arrow press resizes a column, in px. */
export const RESIZE_STEP = 16;

/** What every column header tells keyboard users (its aria-description and tooltip). */
export const HEADER_KEYS =
  'Alt+Left/Right moves the column, Alt+Shift+Left/Right makes it narrower/wider; drag the header to move it, its right edge to resize it';

/**
 * The header row: a select-all checkbox, then per column a sort button (aria-sort on the cell) that also
 * moves and resizes the column from the keyboard, a drag to move it and a handle on its right edge to resize it.
 */
export function UserTableHeader({ columns, sort, total, selectedCount, allSelected, onSort, onSelectAll, onClearSelection }: UserTableHeaderProps) {
  const checkbox = useRef<HTMLInputElement>(null);
  const checked = allSelected || (total > 0 && selectedCount === total);
  const partly = !checked && selectedCount > 0;
  const [dragged, setDragged] = useState<UserColumnKey | null>(null);
  const { move, moveTo } = useUserColumnsStore.getState();
  useEffect(() => {
    if (checkbox.current) checkbox.current.indeterminate = partly;
  }, [partly]);

  const keyDown = (column: UserColumn, event: KeyboardEvent<HTMLElement>) => {
    if (!event.altKey || (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight')) return;
    event.preventDefault();
    event.stopPropagation();
    const step = event.key === 'ArrowLeft' ? -1 : 1;
    if (event.shiftKey) {
      const cell = event.currentTarget.closest('[role=columnheader]');
      const width = cell?.getBoundingClientRect().width ?? column.min;
      useUserColumnsStore.getState().setWidth(column.key, width + step * RESIZE_STEP);
    } else {
      move(column.key, step);
    }
    // The header is rendered anew in its new place: keep the keyboard on it.
    const key = column.key;
    requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-column="${key}"] .column-head__button`)?.focus());
  };

  return (
    <div role="rowgroup" className="user-grid__head">
      <div role="row" aria-rowindex={1} className="user-row user-row--head">
        <div role="columnheader" className="user-row__check">
          <input
            ref={checkbox}
            type="checkbox"
            checked={checked}
            disabled={total === 0}
            aria-label={checked || partly ? 'Clear the selection' : `Select all ${formatCount(total)} users in the filter`}
            title={checked || partly ? 'Clear the selection (Esc)' : `Select all ${formatCount(total)} in the filter (Ctrl+A)`}
            onChange={() => (checked || partly ? onClearSelection() : onSelectAll())}
          />
        </div>
        {columns.map((column) => {
          const active = column.sort !== undefined && sort.column === column.sort;
          const ariaSort = active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : undefined;
          const next = active && sort.direction === 'asc' ? 'descending' : 'ascending';
          return (
            <div
              key={column.key}
              role="columnheader"
              className={dragged === column.key ? 'user-row__cell column-head column-head--dragged' : 'user-row__cell column-head'}
              aria-sort={ariaSort}
              data-column={column.key}
              data-testid={`column-${column.key}`}
              draggable
              onDragStart={(event) => {
                event.dataTransfer.setData('text/plain', column.key);
                event.dataTransfer.effectAllowed = 'move';
                setDragged(column.key);
              }}
              onDragEnd={() => setDragged(null)}
              onDragOver={(event) => {
                if (dragged && dragged !== column.key) event.preventDefault();
              }}
              onDrop={(event) => {
                event.preventDefault();
                if (dragged && dragged !== column.key) moveTo(dragged, column.key);
                setDragged(null);
              }}
            >
              <button
                type="button"
                className={active ? 'column-head__button sort-button sort-button--active' : 'column-head__button sort-button'}
                title={column.sort ? `Sort by ${column.label.toLowerCase()}, ${next}. ${HEADER_KEYS}.` : `${column.label}. ${HEADER_KEYS}.`}
                aria-description={HEADER_KEYS}
                onClick={() => column.sort && onSort(column.sort)}
                onKeyDown={(event) => keyDown(column, event)}
              >
                <span className="sort-button__label">{column.label}</span>
                {column.sort && (
                  <span className="sort-button__arrow" aria-hidden="true">
                    {active ? (sort.direction === 'asc' ? '▲' : '▼') : '↕'}
                  </span>
                )}
              </button>
              <ResizeHandle column={column} />
            </div>
          );
        })}
      </div>
    </div>
  );
}

/** The right edge of a header: dragging it sets the column's width (saved when let go). */
function ResizeHandle({ column }: { column: UserColumn }) {
  const start = useRef<{ x: number; width: number } | null>(null);
  const down = (event: PointerEvent<HTMLDivElement>) => {
    event.preventDefault();
    event.stopPropagation();
    const cell = event.currentTarget.parentElement;
    start.current = { x: event.clientX, width: cell?.getBoundingClientRect().width ?? column.min };
    event.currentTarget.setPointerCapture(event.pointerId);
  };
  const moveTo = (event: PointerEvent<HTMLDivElement>, save: boolean) => {
    if (!start.current) return;
    useUserColumnsStore.getState().setWidth(column.key, start.current.width + event.clientX - start.current.x, save);
    if (save) start.current = null;
  };
  return (
    <div
      className="column-head__resize"
      aria-hidden="true"
      data-testid={`resize-${column.key}`}
      title={`Drag to resize ${column.label} (or Alt+Shift+Left/Right on its header)`}
      onPointerDown={down}
      onPointerMove={(event) => moveTo(event, false)}
      onPointerUp={(event) => moveTo(event, true)}
      onClick={(event) => event.stopPropagation()}
      // A drag on the edge resizes; it must not start moving the column.
      draggable={false}
      onDragStart={(event) => {
        event.preventDefault();
        event.stopPropagation();
      }}
    />
  );
}
