import type { ExportPart, ExportPlan, ExportResult } from '#shared/model/export';
import { fileNameOf } from './export-choices';

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

const fileCount = (n: number) => (n === 1 ? '1 file' : `${count(n)} files`);

/** A finished export in one line: "Wrote 2 users (2 records) to 1 file", "… to 2 files for 2 realms". */
export function resultSentence(result: ExportResult): string {
  const records = result.records === result.users ? '' : ` (${count(result.records)} ${result.records === 1 ? 'record' : 'records'})`;
  const realms = result.parts.length > 1 ? ` for ${count(result.parts.length)} realms` : '';
  return `Wrote ${users(result.users)}${records} to ${fileCount(result.files.length)}${realms}`;
}

/** The heading of the saved files' list: "Saved 1 file", "Saved 4 files". */
export const savedSentence = (result: ExportResult): string => `Saved ${fileCount(result.files.length)}`;

/** A part's files by name: "changes-lab.ldif", or a script with its CSV: "apply-lab.ps1 with apply-lab.csv". */
export const partFileNames = (part: ExportPart): string => part.files.map(fileNameOf).join(' with ');

/** A part in words: "changes-lab.ldif (Lab: 3 users)"; without its realm, the files alone. */
export const partLine = (part: ExportPart): string => `${partFileNames(part)}${part.realm ? ` (${part.realm.name}: ${users(part.users)})` : ''}`;

/**
 * What the plan says about its files: one per realm when LDIF or PowerShell is split (each file is applied to
 * one directory), a script's CSV beside it, or nothing for a single file.
 */
export function filesNote(plan: ExportPlan): string | null {
  if (plan.parts.length > 1) return `One file per realm, each for its own directory: ${plan.parts.map(partLine).join(', ')}.`;
  if (plan.files.length > 1) return `Writes ${plan.files.map(fileNameOf).join(' and ')} side by side.`;
  return null;
}
