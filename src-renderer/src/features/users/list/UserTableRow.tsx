import { memo, type MouseEvent, type ReactNode } from 'react';
import type { UserRow } from '#shared/model/user';
import { fullTime, timeAgo } from '../../../lib/format-time';
import { useRowSelected, useUserRow } from './users-list-store';
import { ROW_HEIGHT, type UserColumn, type UserColumnKey } from './columns';
import { UserMarkers } from './UserMarkers';

interface UserTableRowProps {
  index: number;
  columns: readonly UserColumn[];
  /** Pixels from the top of the rows. */
  top: number;
  focused: boolean;
  onClick(index: number, event: MouseEvent): void;
  /** The row's checkbox was clicked (with Shift: the range from the anchor). */
  onToggle(index: number, shift: boolean): void;
  onOpen(id: string): void;
}

/** The DOM id of a row, for the grid's aria-activedescendant. */
export const rowDomId = (index: number) => `user-row-${index}`;

/** One user in the table; a grey placeholder while its block is being fetched. */
export const UserTableRow = memo(function UserTableRow({ index, columns, top, focused, onClick, onToggle, onOpen }: UserTableRowProps) {
  const row = useUserRow(index);
  const selected = useRowSelected(row?.id);
  const style = { transform: `translateY(${top}px)`, height: ROW_HEIGHT };
  if (!row) {
    return (
      <div role="row" aria-rowindex={index + 2} className="user-row user-row--loading" style={style} id={rowDomId(index)}>
        <div role="gridcell" aria-colspan={columns.length + 1} className="user-row__placeholder">
          <span className="visually-hidden">Loading…</span>
        </div>
      </div>
    );
  }
  const classes = ['user-row', selected && 'user-row--selected', focused && 'user-row--focused', !row.enabled && 'user-row--disabled'].filter(Boolean).join(' ');
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      id={rowDomId(index)}
      className={classes}
      style={style}
      data-testid="user-row"
      data-username={row.username}
      data-selected={selected ? 'true' : 'false'}
      // Shift-click extends the selection; without this the browser would select the text in between.
      onMouseDown={(event) => event.shiftKey && event.preventDefault()}
      onClick={(event) => onClick(index, event)}
      onDoubleClick={() => onOpen(row.id)}
    >
      <div role="gridcell" className="user-row__check">
        <input
          type="checkbox"
          tabIndex={-1}
          checked={selected}
          aria-label={`Select ${row.username}`}
          // The grid keeps focus (keyboard use continues); the click toggles, or with Shift selects the range.
          onMouseDown={(event) => event.preventDefault()}
          onClick={(event) => {
            event.stopPropagation();
            onToggle(index, event.shiftKey);
          }}
          // The store holds the state; the click above changes it.
          readOnly
        />
      </div>
      {columns.map((column) => (
        <UserCell key={column.key} column={column.key} row={row} />
      ))}
    </div>
  );
});

/** The realm column: the realm's name (whole on hover), or a note for internal users and removed realms. */
function RealmCell({ row }: { row: UserRow }) {
  if (row.kind !== 'external') {
    return (
      <div role="gridcell" className="user-row__cell" title="Internal: made in Roster" data-testid="realm-cell">
        <span className="muted">Internal</span>
      </div>
    );
  }
  const name = row.realmName;
  return (
    <div role="gridcell" className="user-row__cell" title={name ?? 'The realm was removed'} data-testid="realm-cell">
      {name ?? <span className="muted">realm removed</span>}
    </div>
  );
}

const CELLS: Record<UserColumnKey, (row: UserRow) => ReactNode> = {
  username: (row) => (
    <div role="gridcell" className="user-row__cell user-row__username" title={row.username}>
      {row.username}
    </div>
  ),
  displayName: (row) => <Cell value={row.displayName} />,
  email: (row) => <Cell value={row.email} />,
  department: (row) => <Cell value={row.department} />,
  title: (row) => <Cell value={row.title} />,
  kind: (row) => (
    <div role="gridcell" className="user-row__cell" title={row.kind === 'external' ? 'External: from a directory' : 'Internal: made in Roster'}>
      {row.kind === 'external' ? <span className="badge badge--external">External</span> : <span className="badge">Internal</span>}
    </div>
  ),
  realm: (row) => <RealmCell row={row} />,
  enabled: (row) => (
    <div role="gridcell" className="user-row__cell">
      <span className={row.enabled ? 'login login--enabled' : 'login login--disabled'} data-testid="login-status">
        {row.enabled ? 'Enabled' : 'Disabled'}
      </span>
    </div>
  ),
  syncedAt: (row) => (
    <div role="gridcell" className="user-row__cell" title={row.syncedAt ? fullTime(row.syncedAt) : undefined}>
      {row.syncedAt ? timeAgo(row.syncedAt) : <span className="muted">—</span>}
    </div>
  ),
  markers: (row) => (
    <div role="gridcell" className="user-row__cell user-row__markers" data-testid="markers-cell">
      <UserMarkers row={row} />
    </div>
  ),
};

/** One cell of a row, by column. */
function UserCell({ column, row }: { column: UserColumnKey; row: UserRow }) {
  return CELLS[column](row);
}

/** A plain text cell; empty values show a dash, long ones their full text on hover. */
function Cell({ value }: { value: string }) {
  return (
    <div role="gridcell" className="user-row__cell" title={value || undefined}>
      {value || <span className="muted">—</span>}
    </div>
  );
}
