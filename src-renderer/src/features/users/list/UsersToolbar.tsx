import { memo, type RefObject } from 'react';
import { useUserFacets, useUsersStatus } from './users-list-store';
import { ColumnsMenu } from './ColumnsMenu';
import { SearchBox } from './SearchBox';
import { formatCount } from './format-count';

interface UsersToolbarProps {
  searchRef: RefObject<HTMLInputElement | null>;
  onNewUser(): void;
  onToResults(): void;
}

/** The top of the Users screen: title, how many users match, search, the Columns menu and New user. */
export const UsersToolbar = memo(function UsersToolbar({ searchRef, onNewUser, onToResults }: UsersToolbarProps) {
  const { total, loaded, loading } = useUsersStatus();
  const facets = useUserFacets();
  const everyone = facets?.all;
  return (
    <header className="users-toolbar">
      <h1 id="users-title">Users</h1>
      <span className="users-toolbar__total muted" aria-live="polite">
        <span data-testid="users-total" data-count={loaded ? total : ''}>
          {loaded || total > 0 ? `${formatCount(total)} ${total === 1 ? 'user' : 'users'}` : 'Loading…'}
        </span>
        {everyone !== undefined && everyone !== total && <span> of {formatCount(everyone)}</span>}
      </span>
      {loading && <span className="spinner users-toolbar__spinner" aria-hidden="true" />}
      <SearchBox inputRef={searchRef} onToResults={onToResults} />
      <ColumnsMenu />
      <button type="button" className="button button--primary" onClick={onNewUser}>
        New user
      </button>
    </header>
  );
});
