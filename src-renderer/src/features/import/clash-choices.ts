import { validateUsername } from '#shared/model/fields';
import type { ClashRealm, ImportRow } from '#shared/model/sync';
import {
  applyRenameRule,
  DEFAULT_RENAME_RULE,
  renameRuleProblem,
  type ClashOverride,
  type UsernameClashChoice,
  type UsernameClashInput,
} from '#shared/model/username-clash';

/**
 * The admin's answers, before a run, for entries whose username belongs to a user of another realm:
 * one choice for all, the rename rule, and per entry (by DN) its own choice and a typed name. Typed names
 * are kept apart from choices so "Skip all" then "Import all as…" does not lose them.
 */
export interface ClashChoices {
  all: UsernameClashChoice;
  rule: string;
  rows: Readonly<Record<string, UsernameClashChoice>>;
  names: Readonly<Record<string, string>>;
}

/** Nothing chosen: skip, as Roster always did, with the proposed rule ready. */
export const NO_CLASH_CHOICES: ClashChoices = { all: 'skip', rule: DEFAULT_RENAME_RULE, rows: {}, names: {} };

/** What a run will do with one clashing entry, and what is wrong with it if it cannot. */
export interface RowDecision {
  choice: UsernameClashChoice;
  /** The name it gets under `rename`: typed for it, else the rule's (empty while the rule is invalid). */
  username: string;
  typed: boolean;
  problem: string | null;
}

/** One clashing entry's decision; `realmName` is the realm being imported (the rule's `{realm}`). */
export function rowDecision(choices: ClashChoices, row: Pick<ImportRow, 'dn' | 'username'>, realmName: string): RowDecision {
  const choice = choices.rows[row.dn] ?? choices.all;
  const typedName = choices.names[row.dn];
  const typed = typedName !== undefined;
  const ruleProblem = renameRuleProblem(choices.rule);
  const username = typed ? typedName : ruleProblem ? '' : applyRenameRule(choices.rule, row.username, realmName);
  const problem = choice !== 'rename' ? null : typed ? validateUsername(typedName) : ruleProblem;
  return { choice, username, typed, problem };
}

/** Everyone the same way: per-entry choices go (typed names stay for a later "Import as"). */
export const chooseAll = (choices: ClashChoices, all: UsernameClashChoice): ClashChoices => ({ ...choices, all, rows: {} });

/** One entry its own way. */
export const chooseRow = (choices: ClashChoices, dn: string, choice: UsernameClashChoice): ClashChoices => ({
  ...choices,
  rows: { ...choices.rows, [dn]: choice },
});

/** Typing a name for an entry means importing it under that name. */
export const nameRow = (choices: ClashChoices, dn: string, username: string): ClashChoices => ({
  ...choices,
  rows: { ...choices.rows, [dn]: 'rename' },
  names: { ...choices.names, [dn]: username },
});

/** How many clashing entries each choice will take, of `total`. */
export function clashTally(choices: ClashChoices, total: number): Record<UsernameClashChoice, number> {
  const tally = { skip: 0, link: 0, rename: 0 };
  const own = Object.values(choices.rows);
  for (const choice of own) tally[choice] += 1;
  tally[choices.all] += Math.max(0, total - own.length);
  return tally;
}

/** Why a run cannot start with these choices (an invalid rule some entry uses, a bad or repeated typed name), or null. */
export function clashProblem(choices: ClashChoices, total: number): string | null {
  const renamed = Object.entries(choices.rows).filter(([, c]) => c === 'rename');
  const byRule = (choices.all === 'rename' && total > Object.keys(choices.rows).length) || renamed.some(([dn]) => choices.names[dn] === undefined);
  const ruleProblem = renameRuleProblem(choices.rule);
  if (byRule && ruleProblem) return `The rename rule cannot be used: ${ruleProblem}`;
  const seen = new Map<string, string>();
  for (const [dn] of renamed) {
    const name = choices.names[dn];
    if (name === undefined) continue;
    const problem = validateUsername(name);
    if (problem) return `${problem} (typed for ${dn})`;
    const other = seen.get(name.toLowerCase());
    if (other) return `The name ${name} is typed for two entries (${other} and ${dn}); usernames are unique ignoring case.`;
    seen.set(name.toLowerCase(), dn);
  }
  return null;
}

/** The choices as `import:run` takes them: only entries that differ from the choice for all. */
export function clashRequest(choices: ClashChoices): UsernameClashInput {
  const overrides: Record<string, ClashOverride> = {};
  for (const [dn, choice] of Object.entries(choices.rows)) {
    const name = choice === 'rename' ? choices.names[dn] : undefined;
    if (choice === choices.all && name === undefined) continue;
    overrides[dn] = name === undefined ? { choice } : { choice, username: name };
  }
  return { onUsernameClash: choices.all, renameRule: choices.rule, overrides };
}

/** "3 usernames already belong to users of realm Lab" (or of realms Lab (2) and HR (1)). */
export function clashSentence(total: number, realms: readonly ClashRealm[]): string {
  const subject = `${total.toLocaleString('en-US')} ${total === 1 ? 'username already belongs to a user' : 'usernames already belong to users'}`;
  if (realms.length === 1) return `${subject} of realm ${realms[0]!.realmName}`;
  const named = realms.map((r) => `${r.realmName} (${r.count.toLocaleString('en-US')})`);
  return `${subject} of realms ${named.slice(0, -1).join(', ')} and ${named.at(-1)}`;
}
