import type { ReactNode } from 'react';
import type { AppError } from '#shared/result';

/** One button of the bulk bar. Later issues add resync and export here. */
export interface BulkAction {
  id: string;
  label: string;
  run(): void;
  title?: string;
  disabled?: boolean;
}

interface BulkBarProps {
  /** "3 selected", "All 2,000 in the filter selected". */
  summary: ReactNode;
  actions: readonly BulkAction[];
  busy: boolean;
  /** The last action's error (its success is a toast, said where the list is). */
  error: AppError | null;
  /** Beside the summary: "Select all N in filter". */
  extra?: ReactNode;
  onClear(): void;
  onDismiss(): void;
}

/** The bar above the table while users are selected: what is selected, the actions, and the last error. */
export function BulkBar({ summary, actions, busy, error, extra, onClear, onDismiss }: BulkBarProps) {
  return (
    <div className="bulk-bar" role="region" aria-label="Bulk actions" data-testid="bulk-bar" aria-busy={busy}>
      <div className="bulk-bar__summary">
        <strong>{summary}</strong>
        {extra}
      </div>
      <div className="bulk-bar__actions">
        {actions.map((action) => (
          <button key={action.id} type="button" className="button button--small" title={action.title} disabled={busy || action.disabled} onClick={action.run}>
            {action.label}
          </button>
        ))}
        <button type="button" className="button button--small button--quiet" onClick={onClear} title="Clear the selection (Esc)">
          Clear selection
        </button>
      </div>
      <div className="bulk-bar__outcome">{busy && <span className="spinner" role="status" aria-label="Working" />}</div>
      {error && (
        <p className="bulk-bar__error banner banner--error" role="alert">
          {error.message}{' '}
          <button type="button" className="link-button" onClick={onDismiss}>
            Dismiss
          </button>
        </p>
      )}
    </div>
  );
}
