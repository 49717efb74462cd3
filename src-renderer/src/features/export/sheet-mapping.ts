import { SHEET_MATCH_TARGETS, type SheetColumn, type SheetMatchTarget, type SheetTarget } from '#shared/model/sheet';

/** A column's target by column index. */
export type SheetMapping = Record<number, SheetTarget>;

/** How each identity target reads in the mapping select. */
export const MATCH_TARGET_LABELS: Record<SheetMatchTarget, string> = {
  id: 'Roster id',
  directoryId: 'Directory id (objectGUID / entryUUID)',
  dn: 'Distinguished name (DN)',
  username: 'Username (sAMAccountName / uid)',
};

/** One choice of a mapping select. */
export interface TargetOption {
  value: SheetTarget;
  label: string;
}

/** The choices of a column's select: Ignore, the identities rows are matched by, then every field. */
export function targetOptions(fields: readonly { key: string; label: string }[]): { ignore: TargetOption; match: TargetOption[]; fields: TargetOption[] } {
  return {
    ignore: { value: 'ignore', label: 'Ignore' },
    match: SHEET_MATCH_TARGETS.map((t) => ({ value: t, label: MATCH_TARGET_LABELS[t] })),
    fields: fields.map((f) => ({ value: `field:${f.key}` as const, label: f.label })),
  };
}

/** The mapping main proposed when it read the headers. */
export const mappingOf = (columns: readonly SheetColumn[]): SheetMapping => Object.fromEntries(columns.map((c) => [c.index, c.target]));

/** The mapping as the contract takes it (column index as a string key). */
export const mappingInput = (mapping: SheetMapping): Record<string, SheetTarget> =>
  Object.fromEntries(Object.entries(mapping).map(([index, target]) => [String(index), target]));

/** A target's name for messages: "Department", "Username (sAMAccountName / uid)". */
export function targetLabel(target: SheetTarget, fieldLabel: (key: string) => string | undefined): string {
  if (target === 'ignore') return 'Ignore';
  if (target.startsWith('field:')) {
    const key = target.slice('field:'.length);
    return fieldLabel(key) ?? key;
  }
  return MATCH_TARGET_LABELS[target as SheetMatchTarget];
}

/**
 * What stops a mapping from being previewed, one sentence each: no identity to match rows by, no field to
 * change, or a target fed by two columns.
 */
export function mappingProblems(columns: readonly SheetColumn[], mapping: SheetMapping, fieldLabel: (key: string) => string | undefined): string[] {
  const problems: string[] = [];
  const targets = columns.map((c) => mapping[c.index] ?? 'ignore');
  if (!targets.some((t) => (SHEET_MATCH_TARGETS as readonly string[]).includes(t))) {
    problems.push('Map a column to Roster id, Directory id, DN or Username: rows are matched to users by it.');
  }
  if (!targets.some((t) => t.startsWith('field:'))) problems.push('Map at least one column to a field: nothing would change otherwise.');
  const byTarget = new Map<SheetTarget, string[]>();
  for (const column of columns) {
    const target = mapping[column.index] ?? 'ignore';
    if (target !== 'ignore') byTarget.set(target, [...(byTarget.get(target) ?? []), column.header || `column ${column.index + 1}`]);
  }
  for (const [target, headers] of byTarget) {
    if (headers.length > 1) problems.push(`${targetLabel(target, fieldLabel)} is mapped from ${headers.length} columns (${headers.join(', ')}); keep one.`);
  }
  return problems;
}
