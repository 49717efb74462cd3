import { z } from 'zod';
import { validateUsername } from './fields';

/**
 * What to do with a directory entry whose username already belongs to an external user of ANOTHER realm
 * (a domain migration, a merger): `link` re-links that user to this entry (id, local fields, roles and
 * history kept), `rename` imports the entry as a new user under another username, `skip` leaves it out.
 */
export const USERNAME_CLASH_CHOICES = ['skip', 'link', 'rename'] as const;
export type UsernameClashChoice = (typeof USERNAME_CLASH_CHOICES)[number];

/** The rename rule Roster proposes: jdoe of realm "Acme" becomes jdoe.acme. */
export const DEFAULT_RENAME_RULE = '{username}.{realm}';

const PLACEHOLDERS = ['username', 'realm'] as const;
const RULE_LITERAL = /^[A-Za-z0-9._@-]*$/;

// Latin letters that do not decompose into a base letter and an accent.
const FOLDED: Record<string, string> = { ø: 'o', æ: 'ae', œ: 'oe', ß: 'ss', đ: 'd', ð: 'd', ł: 'l', þ: 'th', ı: 'i' };

/** A realm's name as it goes into a username: lower-case, accents dropped, other runs of characters as one `-`. */
export function realmSlug(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[øæœßđðłþı]/g, (c) => FOLDED[c]!)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug || 'realm';
}

/** Why a rename rule cannot be used, or null when it can. */
export function renameRuleProblem(rule: string): string | null {
  if (rule.trim() === '') return 'Type a rule such as {username}.{realm}.';
  const unknown = [...rule.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1]!).filter((p) => !(PLACEHOLDERS as readonly string[]).includes(p));
  if (unknown.length) return `Unknown placeholder {${unknown[0]}}: a rule may use {username} and {realm}.`;
  if (!rule.includes('{username}')) return 'The rule must contain {username}; without it every entry would get the same name.';
  if (rule.replaceAll('{username}', '') === '')
    return 'The rule must add something to {username} (that username is the one already taken), e.g. {username}.{realm}.';
  if (!RULE_LITERAL.test(rule.replace(/\{(username|realm)\}/g, '')))
    return 'Outside {username} and {realm}, a rule may contain only letters, digits and . _ - @.';
  return null;
}

/** The username a rule gives an entry: `{username}` is the directory's username, `{realm}` the realm's slug. */
export const applyRenameRule = (rule: string, username: string, realmName: string): string =>
  rule.replaceAll('{username}', username).replaceAll('{realm}', realmSlug(realmName));

const problemOf = (check: (value: string) => string | null) => (value: string, ctx: z.RefinementCtx) => {
  const problem = check(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
};

/** One entry's own choice, overriding the run's; `username` is a name typed for `rename` instead of the rule's. */
export const clashOverrideSchema = z
  .object({
    choice: z.enum(USERNAME_CLASH_CHOICES),
    username: z.string().trim().max(64).superRefine(problemOf(validateUsername)).optional(),
  })
  .strict();
export type ClashOverride = z.infer<typeof clashOverrideSchema>;

/** What an import or resync does with username clashes: a choice for all, the rename rule, and per-DN overrides. */
export const usernameClashSchema = z
  .object({
    onUsernameClash: z.enum(USERNAME_CLASH_CHOICES).default('skip'),
    renameRule: z.string().trim().max(200).default(DEFAULT_RENAME_RULE).superRefine(problemOf(renameRuleProblem)),
    /** By entry DN (compared ignoring case). */
    overrides: z.record(z.string().min(1).max(2048), clashOverrideSchema).default({}),
  })
  .strict();
export type UsernameClashOptions = z.infer<typeof usernameClashSchema>;
export type UsernameClashInput = z.input<typeof usernameClashSchema>;
