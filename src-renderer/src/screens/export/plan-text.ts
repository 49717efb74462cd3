import type { ExportPlan, ExportResult } from '../../../../src-shared/model/export';

const count = (n: number) => n.toLocaleString('en-US');
const users = (n: number) => `${count(n)} ${n === 1 ? 'user' : 'users'}`;

/** Each share left out as "3 left out (internal users: they have no directory entry to change)". */
export const skippedPhrases = (skipped: ExportPlan['skipped']): string[] =>
  skipped.filter((s) => s.count > 0).map((s) => `${count(s.count)} left out (${s.reason})`);

/** The plan in one line: "42 users will be written; 3 left out (internal users: …)". */
export function planSentence(plan: ExportPlan): string {
  const head = plan.users === 0 ? 'No user will be written' : `${users(plan.users)} will be written`;
  return [head, ...skippedPhrases(plan.skipped)].join('; ');
}

/** Why an export would write nothing, said before it runs (null when it writes someone). */
export function emptyReason(plan: ExportPlan, content: 'snapshot' | 'changes'): string | null {
  if (plan.users > 0) return null;
  return content === 'changes'
    ? 'No user in this scope has a completion or change since the last sync.'
    : 'No user in this scope can be written in this format.';
}

/** A finished export in one line: "Wrote 2 users (2 records) to 1 file". */
export function resultSentence(result: ExportResult): string {
  const files = result.files.length === 1 ? '1 file' : `${count(result.files.length)} files`;
  const records = result.records === result.users ? '' : ` (${count(result.records)} ${result.records === 1 ? 'record' : 'records'})`;
  return `Wrote ${users(result.users)}${records} to ${files}`;
}
