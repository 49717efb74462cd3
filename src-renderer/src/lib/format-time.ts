const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const absolute = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** "just now", "5 minutes ago", "yesterday": how long ago an ISO time was, for compact status lines. */
export function timeAgo(iso: string, now = Date.now()): string {
  const elapsed = now - Date.parse(iso);
  if (!Number.isFinite(elapsed)) return 'at an unknown time';
  if (elapsed < 45_000) return 'just now';
  for (const [unit, ms] of UNITS) {
    if (elapsed >= ms || unit === 'minute') return relative.format(-Math.round(elapsed / ms), unit);
  }
  return 'just now';
}

/** A full local date and time, for tooltips. */
export function fullTime(iso: string): string {
  const time = Date.parse(iso);
  return Number.isFinite(time) ? absolute.format(time) : iso;
}
