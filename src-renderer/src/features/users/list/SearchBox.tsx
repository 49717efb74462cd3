import { useId, type RefObject } from 'react';
import { useSearchInput, useUsersListActions } from './users-list-store';

/** The list's search box: results follow the typing; Escape empties it; ↓ or Enter goes on to the results. */
export function SearchBox({ inputRef, onToResults }: { inputRef: RefObject<HTMLInputElement | null>; onToResults(): void }) {
  const searchInput = useSearchInput();
  const { setSearch } = useUsersListActions();
  const id = useId();
  return (
    <div className="user-search">
      <label htmlFor={id} className="visually-hidden">
        Search users
      </label>
      <svg className="user-search__icon" viewBox="0 0 24 24" width="14" height="14" aria-hidden="true" focusable="false">
        <path d="M11 4a7 7 0 1 0 0 14a7 7 0 1 0 0-14z" />
        <path d="M21 21l-4.35-4.35" />
      </svg>
      <input
        ref={inputRef}
        id={id}
        type="search"
        className="input user-search__input"
        placeholder="Search username, name, email, department"
        value={searchInput}
        spellCheck={false}
        autoComplete="off"
        aria-keyshortcuts="/"
        title="Search (press / to come here)"
        onChange={(event) => setSearch(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape' && searchInput) {
            event.preventDefault();
            setSearch('');
          } else if (event.key === 'ArrowDown' || event.key === 'Enter') {
            event.preventDefault();
            onToResults();
          }
        }}
      />
    </div>
  );
}
