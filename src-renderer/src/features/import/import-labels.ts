import type { ImportSearch, ImportStatus } from '#shared/model/sync';

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

/** What the entries of one status chip are called on the "… all" button. */
const STATUS_NOUNS: Record<ImportStatus, string> = {
  new: 'new',
  unchanged: 'already imported',
  changed: 'changed',
  conflict: 'conflicts',
  clash: 'with a taken username',
};

/**
 * The run buttons as the list shows them: under a status chip they name that status, count only its
 * entries and act on only them ("Resync all conflicts (3)"), never on the whole result.
 */
export function runButtonLabels(
  counts: Record<ImportStatus, number>,
  status: ImportStatus | null,
  selected: number,
): { selected: string; all: string; allCount: number } {
  const shown: Record<ImportStatus, number> = status ? { new: 0, unchanged: 0, changed: 0, conflict: 0, clash: 0, [status]: counts[status] } : counts;
  const allCount = Object.values(shown).reduce((a, b) => a + b, 0);
  const verb = runVerb(shown);
  return {
    selected: `${verb} selected (${formatCount(selected)})`,
    all: status ? `${verb} all ${STATUS_NOUNS[status]} (${formatCount(allCount)})` : `${verb} all (${formatCount(allCount)})`,
    allCount,
  };
}
