import type { Job, SyncSummary } from '#shared/model/sync';

const KIND_NAMES: Record<Job['kind'], string> = { import: 'Import', resync: 'Resync', reconcile: 'Reconcile', export: 'Export' };

/** The users a job's report lists (every outcome but "unchanged"), by id, each once, in the report's order. */
export function reportedUserIds(summary: SyncSummary | undefined): string[] {
  const ids = new Set<string>();
  for (const change of summary?.changes ?? []) if (change.action !== 'unchanged' && change.userId) ids.add(change.userId);
  return [...ids];
}

/** What the Export screen calls a job's report: "Reconcile of Lab directory". */
export function jobReportLabel(job: Pick<Job, 'kind'>, realmName: string | undefined): string {
  return realmName ? `${KIND_NAMES[job.kind]} of ${realmName}` : KIND_NAMES[job.kind];
}

/** "12 new in the directory": entries of the realm no Roster user is linked to, as a reconcile counted them. */
export function newInDirectoryText(count: number): string {
  return `${count.toLocaleString('en-US')} new in the directory`;
}
