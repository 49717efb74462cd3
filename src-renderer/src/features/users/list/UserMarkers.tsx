import type { UserRow } from '#shared/model/user';

const MARKERS = [
  { key: 'incomplete', symbol: '!', label: 'Incomplete: required fields are empty' as string },
  { key: 'completions', symbol: '+', label: 'Has completions: local values the directory lacks' },
  { key: 'conflicts', symbol: '⇄', label: 'Has conflicts: the directory and Roster both changed a field' },
] as const;

/** Small badges for a user's data problems and completions, each named for screen readers and tooltips. */
export function UserMarkers({ row }: { row: UserRow }) {
  const shown = MARKERS.filter((m) => row[m.key]).map((m) =>
    m.key === 'incomplete' && row.missing?.length ? { ...m, label: `Incomplete: ${row.missing.join(', ')} ${row.missing.length === 1 ? 'is' : 'are'} empty` } : m,
  );
  if (shown.length === 0) return null;
  return (
    <span className="user-markers">
      {shown.map((m) => (
        <span key={m.key} className={`user-marker user-marker--${m.key}`} data-testid={`marker-${m.key}`} role="img" aria-label={m.label} title={m.label}>
          {m.symbol}
        </span>
      ))}
    </span>
  );
}
