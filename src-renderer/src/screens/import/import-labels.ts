import type { ImportSearch, ImportStatus } from '../../../../src-shared/model/sync';

/** How each import status is named on chips and badges. */
export const STATUS_LABELS: Record<ImportStatus, string> = {
  new: 'New',
  unchanged: 'Already imported',
  changed: 'Changed',
  conflict: 'Conflict',
  clash: 'Username taken',
};

/** A count as people read it: 1,500. */
export const formatCount = (n: number): string => n.toLocaleString('en-US');

const entries = (n: number) => `${formatCount(n)} ${n === 1 ? 'entry' : 'entries'}`;

/** The honest size of a result: "1,500 entries found", or "300 of 1,500 entries" under a status chip. */
export function resultCountText(search: Pick<ImportSearch, 'total' | 'counts'>, status: ImportStatus | null): string {
  if (search.total === 0) return 'No entries found';
  if (status === null) return `${entries(search.total)} found`;
  return `${formatCount(search.counts[status])} of ${entries(search.total)}`;
}

/** The run buttons' labels: Import for new entries, Resync for imported ones, both when mixed. */
export function runVerb(counts: Record<ImportStatus, number>): string {
  const fresh = counts.new > 0;
  const known = counts.unchanged + counts.changed + counts.conflict + counts.clash > 0;
  return fresh && known ? 'Import / Resync' : known ? 'Resync' : 'Import';
}
