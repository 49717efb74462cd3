import type { ChangeMarker } from './realm';
import type { ReconcileMode } from './sync';

/**
 * How far before a clock-based marker (modifyTimestamp, entryCSN) the next reconcile starts asking. It covers a
 * server clock stepped back (NTP), a replica behind its provider, and changes stamped before they committed.
 * Re-reading the entries changed in these minutes is cheap; missing one is not.
 */
export const CLOCK_OVERLAP_MS = 10 * 60_000;

/** A marker in words, as reports say it ("USN 12345 on dc1.corp.example"). */
export function describeMarker(marker: ChangeMarker): string {
  if (marker.kind === 'usn') return `USN ${marker.usn} on ${marker.dnsHostName || marker.dsServiceName}`;
  if (marker.kind === 'csn') return `entryCSN ${marker.csn} on ${marker.server}`;
  return `modifyTimestamp ${marker.time} on ${marker.server} (less ${Math.round(CLOCK_OVERLAP_MS / 60_000)} minutes for clock differences)`;
}

/** How a reconcile read the directory, in one sentence (reports, the CLI). */
export function describeReconcile(mode: ReconcileMode): string {
  const n = (count: number) => count.toLocaleString('en');
  if (mode.mode === 'full') return `Full reconcile (${mode.reason}): ${n(mode.entriesRead)} entries read.`;
  return (
    `Incremental reconcile (${mode.reason}): ${n(mode.entriesRead)} entries read in full, changed since ${mode.since ?? 'the last reconcile'}` +
    `${mode.reread ? ` or moved (${n(mode.reread)} read again)` : ''}; ${n(mode.idsSwept ?? 0)} ids swept for deleted and moved entries.`
  );
}
