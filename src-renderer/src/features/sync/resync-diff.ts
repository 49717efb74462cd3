import type { FieldDiff, FieldOutcome, UserDiff } from '#shared/model/sync';
import type { DirectoryCandidate, FieldState, UserDetail } from '#shared/model/user';

/** Which value wins a field: the directory's or Roster's. */
export type Choice = 'directory' | 'local';
/** The admin's choice per conflicting field. */
export type Choices = Record<string, Choice>;

/** What each outcome of the three-way merge means, in a word or two (badges, screen readers). */
export const OUTCOME_LABELS: Record<FieldOutcome, string> = {
  unchanged: 'Unchanged',
  'take-directory': 'Takes the directory’s',
  'keep-local': 'Keeps Roster’s',
  converged: 'Same change on both sides',
  conflict: 'Conflict',
};

/** How a candidate was matched to the Roster user, as the dialog says it. */
export const MATCH_LABELS: Record<NonNullable<DirectoryCandidate['match']>, string> = {
  id: 'same id',
  dn: 'same DN',
  username: 'same username',
};

/** Conflicts first, then what the directory changes, then the rest: the rows the admin has to read first. */
const OUTCOME_ORDER: Record<FieldOutcome, number> = { conflict: 0, 'take-directory': 1, converged: 2, 'keep-local': 3, unchanged: 4 };

/** The diff's rows split into those that say something and the unchanged ones (shown on request), each in a useful order. */
export function groupDiffRows(fields: readonly FieldDiff[]): { changed: FieldDiff[]; unchanged: FieldDiff[] } {
  const indexed = fields.map((row, index) => ({ row, index }));
  const changed = indexed
    .filter(({ row }) => row.outcome !== 'unchanged')
    .sort((a, b) => OUTCOME_ORDER[a.row.outcome] - OUTCOME_ORDER[b.row.outcome] || a.index - b.index)
    .map(({ row }) => row);
  return { changed, unchanged: fields.filter((row) => row.outcome === 'unchanged') };
}

/** The default choice per conflicting field: FieldDiff.choice, which follows the field's lock. */
export function defaultChoices(diff: Pick<UserDiff, 'fields'>): Choices {
  return Object.fromEntries(diff.fields.filter((f) => f.outcome === 'conflict').map((f) => [f.field, f.choice]));
}

/**
 * A row the admin may decide: Roster's and the directory's values differ. Conflicts must be decided (a default is
 * preset); the rows the merge settled on its own (take the directory's, keep Roster's) may still be overridden —
 * except a directory-owned field's: the lock hands it the directory's value on every resync, so keeping Roster's
 * would last only until the next reconcile, so the dialog does not offer it.
 */
export const isDecision = (row: FieldDiff): boolean => row.local !== row.directory && (row.outcome === 'conflict' || row.owner !== 'directory');

/** Which side wins a row after Save: the admin's choice when there is one, else the merge's. */
export const choiceOf = (row: FieldDiff, choices: Choices): Choice => (isDecision(row) ? (choices[row.field] ?? row.choice) : row.choice);

/** A row the merge settled on its own that the admin turned the other way. */
export const isOverridden = (row: FieldDiff, choices: Choices): boolean =>
  row.outcome !== 'conflict' && isDecision(row) && choiceOf(row, choices) !== row.choice;

/** The value a field will hold after Save, given the admin's choices. */
export function resultValue(row: FieldDiff, choices: Choices): string {
  return choiceOf(row, choices) === 'directory' ? row.directory : row.local;
}

/** "Take all directory values" / "Keep all Roster's": the same side for every row that has two values. */
export function chooseEverywhere(diff: Pick<UserDiff, 'fields'>, choice: Choice): Choices {
  return Object.fromEntries(diff.fields.filter(isDecision).map((f) => [f.field, choice]));
}

const SIDE = { local: 'Roster’s value is kept', directory: 'the directory’s value is taken' } as const;

/** "A, B and C" */
const listed = (labels: readonly string[]): string =>
  labels.length < 2 ? (labels[0] ?? '') : `${labels.slice(0, -1).join(', ')} and ${labels[labels.length - 1]}`;

/**
 * The diff in one line that says what Save will do, naming fields by their labels: how many fields change in
 * Roster, and for the conflicts which side wins unless the admin chooses otherwise (a default is always chosen).
 */
export function diffSummary(diff: Pick<UserDiff, 'fields'>, choices: Choices): string {
  const changing = diff.fields.filter((row) => resultValue(row, choices) !== row.local).length;
  const parts = [changing === 0 ? 'No field changes in Roster' : `${changing} ${changing === 1 ? 'field changes' : 'fields change'} in Roster`];
  const conflicts = diff.fields.filter((row) => row.outcome === 'conflict');
  if (conflicts.length > 0) {
    const count = conflicts.length === 1 ? '1 conflict' : `${conflicts.length} conflicts`;
    const local = conflicts.filter((row) => choiceOf(row, choices) === 'local').map((row) => row.label);
    const directory = conflicts.filter((row) => choiceOf(row, choices) === 'directory').map((row) => row.label);
    const outcome =
      directory.length === 0
        ? SIDE.local
        : local.length === 0
          ? SIDE.directory
          : `${SIDE.local} for ${listed(local)} and ${SIDE.directory} for ${listed(directory)}`;
    parts.push(`${count} — ${outcome} unless you choose otherwise`);
  }
  const overridden = diff.fields.filter((row) => isOverridden(row, choices)).map((row) => row.label);
  if (overridden.length > 0) parts.push(`your choice replaces the automatic result for ${listed(overridden)}`);
  return parts.join(' · ');
}

/** The best candidate to pre-tick: main sends them best first (id, then DN, then username). */
export function bestCandidate(candidates: readonly DirectoryCandidate[]): string | null {
  const rank = (c: DirectoryCandidate) => (c.match === 'id' ? 0 : c.match === 'dn' ? 1 : c.match === 'username' ? 2 : 3);
  let best: DirectoryCandidate | undefined;
  for (const c of candidates) if (!best || rank(c) < rank(best)) best = c;
  return best?.dn ?? null;
}

/** One conflict a reconcile queued, with what the detail screen shows about its field. */
export interface QueuedConflict {
  field: string;
  label: string;
  owner: FieldState['owner'];
  base: string;
  local: string;
  directory: string;
  /** The default: the field's owner wins. */
  choice: Choice;
}

/** The user's queued conflicts in the order of the fields on screen (fields since removed come last, by key). */
export function queuedConflicts(detail: UserDetail): QueuedConflict[] {
  const fields = new Map(detail.fields.map((f, index) => [f.key, { f, index }]));
  return (detail.user.conflicts ?? [])
    .map((c) => {
      const known = fields.get(c.field);
      const owner = known?.f.owner ?? 'local';
      return {
        item: {
          field: c.field,
          label: known?.f.label ?? c.field,
          owner,
          base: c.base,
          local: c.local,
          directory: c.directory,
          choice: owner === 'directory' ? 'directory' : 'local',
        } as const,
        index: known?.index ?? Number.MAX_SAFE_INTEGER,
      };
    })
    .sort((a, b) => a.index - b.index || a.item.field.localeCompare(b.item.field))
    .map(({ item }) => ({ ...item }));
}
