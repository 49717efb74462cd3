import { FirstRunPanel } from '../../demo/FirstRunPanel';
import { useAppStore } from '../../../stores/app-store';

interface UsersEmptyStateProps {
  search: string;
  filtered: boolean;
  onClearFilters(): void;
  onNewUser(): void;
}

/** What the list says when it has no rows: nothing matches (with a way out), or the store is empty. */
export function UsersEmptyState({ search, filtered, onClearFilters, onNewUser }: UsersEmptyStateProps) {
  const go = useAppStore((s) => s.go);
  if (search || filtered) {
    return (
      <div className="empty-pane" data-testid="users-empty">
        <h2>{search ? `No users match “${search}”` : 'No users match these filters'}</h2>
        <p>{search && filtered ? 'Try other words or fewer filters.' : search ? 'Try a part of the username, name, email or department.' : 'Try fewer filters.'}</p>
        <p className="empty-pane__actions">
          <button type="button" className="button" onClick={onClearFilters}>
            Clear filters
          </button>
        </p>
      </div>
    );
  }
  return (
    <div className="empty-pane" data-testid="users-empty">
      <h2>No users yet</h2>
      <p>Create an internal user, or add a realm and import users from your directory.</p>
      <p className="empty-pane__actions">
        <button type="button" className="button" onClick={onNewUser}>
          New user
        </button>
        <button type="button" className="button" onClick={() => go('realms')}>
          Go to Realms
        </button>
      </p>
      <FirstRunPanel />
    </div>
  );
}
