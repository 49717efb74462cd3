import { memo, type MouseEvent } from 'react';
import { fullTime, timeAgo } from '../../../lib/format-time';
import { useRowSelected, useUserRow } from '../../../stores/users-list-store';
import { ROW_HEIGHT, USER_COLUMNS } from './columns';
import { UserMarkers } from './UserMarkers';

interface UserTableRowProps {
  index: number;
  /** Pixels from the top of the rows. */
  top: number;
  focused: boolean;
  onClick(index: number, event: MouseEvent): void;
  onToggle(index: number): void;
  onOpen(id: string): void;
}

/** The DOM id of a row, for the grid's aria-activedescendant. */
export const rowDomId = (index: number) => `user-row-${index}`;

/** One user in the table; a grey placeholder while its block is being fetched. */
export const UserTableRow = memo(function UserTableRow({ index, top, focused, onClick, onToggle, onOpen }: UserTableRowProps) {
  const row = useUserRow(index);
  const selected = useRowSelected(row?.id);
  const style = { transform: `translateY(${top}px)`, height: ROW_HEIGHT };
  if (!row) {
    return (
      <div role="row" aria-rowindex={index + 2} className="user-row user-row--loading" style={style} id={rowDomId(index)}>
        <div role="gridcell" aria-colspan={USER_COLUMNS.length + 1} className="user-row__placeholder">
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
          // The grid keeps focus (keyboard use continues); the click itself toggles.
          onMouseDown={(event) => event.preventDefault()}
          onClick={(event) => event.stopPropagation()}
          onChange={() => onToggle(index)}
        />
      </div>
      <div role="gridcell" className="user-row__cell user-row__username" title={row.username}>
        {row.username}
      </div>
      <Cell value={row.displayName} />
      <Cell value={row.email} />
      <Cell value={row.department} />
      <Cell value={row.title} />
      <div role="gridcell" className="user-row__cell" title={row.kind === 'external' ? `External, from ${row.realmName ?? 'a removed realm'}` : 'Internal: made in Roster'}>
        {row.kind === 'external' ? (
          <>
            <span className="badge badge--external">External</span> {row.realmName ?? <span className="muted">realm removed</span>}
          </>
        ) : (
          <span className="badge">Internal</span>
        )}
      </div>
      <div role="gridcell" className="user-row__cell">
        <span className={row.enabled ? 'login login--enabled' : 'login login--disabled'} data-testid="login-status">
          {row.enabled ? 'Enabled' : 'Disabled'}
        </span>
      </div>
      <div role="gridcell" className="user-row__cell" title={row.syncedAt ? fullTime(row.syncedAt) : undefined}>
        {row.syncedAt ? timeAgo(row.syncedAt) : <span className="muted">—</span>}
      </div>
      <div role="gridcell" className="user-row__cell">
        <UserMarkers row={row} />
      </div>
    </div>
  );
});

/** A plain text cell; empty values show a dash, long ones their full text on hover. */
function Cell({ value }: { value: string }) {
  return (
    <div role="gridcell" className="user-row__cell" title={value || undefined}>
      {value || <span className="muted">—</span>}
    </div>
  );
}
