import { useCallback, useEffect, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { LIST_PLACE, useUsersListActions, useUsersListStore, useUsersQuery } from './users-list-store';
import { Toasts } from '../../../components/Toasts';
import { BulkLoginConfirm } from './BulkLoginConfirm';
import { CreateUserDialog } from './CreateUserDialog';
import { UserFilters } from './UserFilters';
import { UsersBulkBar } from './UsersBulkBar';
import { UsersEmptyState } from './UsersEmptyState';
import { UserTable } from './UserTable';
import { UsersToolbar } from './UsersToolbar';
import './users-list.css';

/** Whether a key press is someone typing, where `/` is a character and not a shortcut. */
const isTyping = (target: EventTarget | null) =>
  target instanceof HTMLElement && (target.isContentEditable || target.matches('input:not([type=checkbox]):not([type=radio]), textarea, select'));

/** The Users screen: search and New user on top, filters on the left, the bulk bar and the table. */
export function UsersScreen() {
  const { query } = useUsersQuery();
  // Only what this screen shows: a fetch starting or ending must not re-render the whole screen.
  const { total, loaded, error, actionError } = useUsersListStore(
    useShallow((s) => ({ total: s.total, loaded: s.loaded, error: s.error, actionError: s.actionError })),
  );
  const { refresh, clearFilters, dismissActionError, moveFocus, clearSelection } = useUsersListActions();
  const [creating, setCreating] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);
  const gridRef = useRef<HTMLDivElement>(null);

  // From anywhere on the screen (unless typing or in a dialog): `/` jumps to the search box, Escape clears
  // the selection (also after a bulk button took focus from the table).
  useEffect(() => {
    const keyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
      if (document.querySelector('dialog[open]')) return;
      if (event.key === '/') {
        event.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
      } else if (event.key === 'Escape') {
        clearSelection();
      }
    };
    document.addEventListener('keydown', keyDown);
    return () => document.removeEventListener('keydown', keyDown);
  }, [clearSelection]);

  // Coming back from a user: keyboard work continues in the table.
  useEffect(() => {
    if (document.activeElement === document.body) gridRef.current?.focus({ preventScroll: true });
  }, []);

  const newUser = useCallback(() => setCreating(true), []);
  const toResults = useCallback(() => {
    void moveFocus(0, false);
    if (gridRef.current) gridRef.current.scrollTop = 0;
    gridRef.current?.focus();
  }, [moveFocus]);

  const { search, sort: _sort, ...filters } = query;
  const filtered = Object.values(filters).some((v) => v !== undefined);
  const empty = loaded && total === 0 && !error;
  return (
    <section className="users-screen" aria-labelledby="users-title">
      <UsersToolbar searchRef={searchRef} onNewUser={newUser} onToResults={toResults} />
      <div className="users-screen__body">
        <UserFilters />
        <div className="users-screen__list">
          {error && (
            <div className="banner banner--error" role="alert">
              Could not load the users: {error.message}{' '}
              <button type="button" className="link-button" onClick={refresh}>
                Retry
              </button>
            </div>
          )}
          {actionError && (
            <div className="banner banner--error" role="alert">
              {actionError.message}{' '}
              <button type="button" className="link-button" onClick={dismissActionError}>
                Dismiss
              </button>
            </div>
          )}
          <UsersBulkBar />
          {!loaded && total === 0 && !error && (
            <p className="users-screen__loading muted" role="status">
              Loading users…
            </p>
          )}
          {empty ? <UsersEmptyState search={search} filtered={filtered} onClearFilters={clearFilters} onNewUser={newUser} /> : <UserTable gridRef={gridRef} />}
        </div>
      </div>
      {creating && <CreateUserDialog onClose={() => setCreating(false)} />}
      <BulkLoginConfirm />
      <Toasts place={LIST_PLACE} />
    </section>
  );
}
