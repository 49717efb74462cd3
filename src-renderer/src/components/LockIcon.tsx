import './lock-icon.css';

/** The label the lock carries, for people and tests alike. */
export const LOCK_LABEL = 'Locked: owned by the directory';

/** A padlock beside a value the directory owns: read-only here, overwritten on resync. */
export function LockIcon({ title = LOCK_LABEL }: { title?: string }) {
  return (
    <span className="lock" role="img" aria-label={LOCK_LABEL} title={title}>
      <svg viewBox="0 0 24 24" width="14" height="14" aria-hidden="true" focusable="false">
        <path d="M5 11h14a1 1 0 0 1 1 1v8a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1v-8a1 1 0 0 1 1-1z" />
        <path d="M8 11V7a4 4 0 0 1 8 0v4" />
      </svg>
    </span>
  );
}
