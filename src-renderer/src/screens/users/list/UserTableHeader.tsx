import { useEffect, useRef } from 'react';
import type { UserSort, UserSortColumn } from '../../../../../src-shared/model/user';
import { USER_COLUMNS } from './columns';
import { formatCount } from './format-count';

interface UserTableHeaderProps {
  sort: UserSort;
  total: number;
  selectedCount: number;
  allSelected: boolean;
  onSort(column: UserSortColumn): void;
  onSelectAll(): void;
  onClearSelection(): void;
}

/** The header row: a select-all checkbox, and a sort button per column with aria-sort on its header cell. */
export function UserTableHeader({ sort, total, selectedCount, allSelected, onSort, onSelectAll, onClearSelection }: UserTableHeaderProps) {
  const checkbox = useRef<HTMLInputElement>(null);
  const checked = allSelected || (total > 0 && selectedCount === total);
  const partly = !checked && selectedCount > 0;
  useEffect(() => {
    if (checkbox.current) checkbox.current.indeterminate = partly;
  }, [partly]);
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
        {USER_COLUMNS.map((column) => {
          const active = column.sort !== undefined && sort.column === column.sort;
          const ariaSort = active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : undefined;
          return (
            <div key={column.key} role="columnheader" className="user-row__cell" aria-sort={ariaSort}>
              {column.sort ? (
                <SortButton label={column.label} active={active} direction={sort.direction} onClick={() => column.sort && onSort(column.sort)} />
              ) : (
                <span className="user-grid__label">{column.label}</span>
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}

function SortButton({ label, active, direction, onClick }: { label: string; active: boolean; direction: 'asc' | 'desc'; onClick(): void }) {
  const next = active && direction === 'asc' ? 'descending' : 'ascending';
  return (
    <button type="button" className={active ? 'sort-button sort-button--active' : 'sort-button'} onClick={onClick} title={`Sort by ${label.toLowerCase()}, ${next}`}>
      <span className="sort-button__label">{label}</span>
      <span className="sort-button__arrow" aria-hidden="true">
        {active ? (direction === 'asc' ? '▲' : '▼') : '↕'}
      </span>
    </button>
  );
}
