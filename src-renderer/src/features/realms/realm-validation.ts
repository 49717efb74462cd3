import type { z } from 'zod';
import { checkLdapFilter } from '#shared/model/ldap-filter';
import { realmInputSchema, type MappableField, type RealmInput } from '#shared/model/realm';
import { parseSources } from '#shared/model/realm-mapping';
import { isFileRealm, type RealmDraft } from './realm-draft';

/** Messages per field, keyed by the realm input path (`name`, `connection.urls.1`, `search.pageSize`…). */
export type FieldErrors = Record<string, string>;

/** The outcome of checking a draft: the parsed input when valid, else a message per field. */
export type DraftCheck = { ok: true; input: RealmInput } | { ok: false; errors: FieldErrors };

const parseNumber = (text: string, scale: number): number => {
  const trimmed = text.trim().replace(',', '.');
  // Empty must fail: Number('') is 0, which would pass as "no timeout".
  return trimmed === '' ? Number.NaN : Math.round(Number(trimmed) * scale);
};

/** The draft as a candidate realm input; `urlSlots` maps each sent URL back to its input row. */
function toCandidate(draft: RealmDraft, enabled: boolean) {
  // A file realm has no server: URLs and bind DN typed before switching kind are hidden, so not sent either.
  const file = isFileRealm(draft);
  const urlSlots = file ? [] : draft.urls.flatMap((url, slot) => (url.trim() ? [slot] : []));
  const mapping = Object.fromEntries(
    Object.entries(draft.mapping).flatMap(([field, text]) => {
      const sources = parseSources(text);
      return sources.length ? [[field, sources]] : [];
    }),
  ) as Partial<Record<MappableField, string[]>>;
  const candidate = {
    name: draft.name,
    kind: draft.kind,
    enabled,
    connection: {
      urls: urlSlots.map((slot) => draft.urls[slot] ?? ''),
      tls: draft.tls,
      ...(draft.caCertPem.trim() ? { caCertPem: draft.caCertPem } : {}),
      verifyCertificate: draft.verifyCertificate,
      bindDn: file ? '' : draft.bindDn,
      connectTimeoutMs: parseNumber(draft.connectTimeoutS, 1000),
      operationTimeoutMs: parseNumber(draft.operationTimeoutS, 1000),
    },
    ...(file ? { ldif: { path: draft.ldifPath, ...(draft.ldifFlavour ? { flavour: draft.ldifFlavour } : {}) } } : {}),
    search: { baseDn: draft.baseDn, userFilter: draft.userFilter, scope: draft.scope, pageSize: parseNumber(draft.pageSize, 1) },
    idAttribute: draft.idAttribute,
    mapping,
  };
  return { candidate, urlSlots };
}

// The schema counts milliseconds; the form speaks seconds, so its own numbers would mislead.
const FIXED_MESSAGES: FieldErrors = {
  'connection.connectTimeoutMs': 'Enter 0.5 to 120 seconds.',
  'connection.operationTimeoutMs': 'Enter 1 to 600 seconds.',
  idAttribute: 'Enter an attribute that never changes, e.g. objectGUID or entryUUID.',
};

function messageFor(key: string, issue: z.core.$ZodIssue): string {
  const fixed = FIXED_MESSAGES[key];
  if (fixed) return fixed;
  if (key === 'search.pageSize' && issue.code !== 'too_big') return 'Enter a whole number from 1 to 1000.';
  if (key === 'name' && issue.code === 'too_big') return 'Use at most 80 characters.';
  return issue.message;
}

function keyFor(path: PropertyKey[], urlSlots: number[]): string {
  // A bad attribute in a field's list is shown on that field's row.
  if (path[0] === 'mapping') return path.slice(0, 2).map(String).join('.');
  if (path[0] === 'connection' && path[1] === 'urls') {
    const sent = typeof path[2] === 'number' ? path[2] : 0;
    return `connection.urls.${urlSlots[sent] ?? 0}`;
  }
  return path.map(String).join('.');
}

/** Checks a draft with the same zod schema main applies, so the rules cannot drift apart. */
export function checkDraft(draft: RealmDraft, enabled: boolean): DraftCheck {
  const { candidate, urlSlots } = toCandidate(draft, enabled);
  const parsed = realmInputSchema.safeParse(candidate);
  if (parsed.success) return { ok: true, input: parsed.data };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const key = keyFor(issue.path, urlSlots);
    errors[key] ??= messageFor(key, issue);
  }
  return { ok: false, errors };
}

/** What is wrong as soon as it is typed, before any save or test: a user filter that is not well formed (not yet an empty one). */
export function typedErrors(draft: Pick<RealmDraft, 'userFilter'>): FieldErrors {
  const problem = draft.userFilter.trim() === '' ? undefined : checkLdapFilter(draft.userFilter);
  return problem ? { 'search.userFilter': problem.message } : {};
}
