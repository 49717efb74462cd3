import type { UserQueryInput } from './user';

// List queries in words, for the Export screen's scope and the description main writes into an export.

/** Names for the ids a query holds. */
export interface QueryNames {
  realm(id: string): string | undefined;
  field(key: string): string | undefined;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Each filter of a query as a short phrase, in the order the Users sidebar shows them. */
export function queryPhrases(query: UserQueryInput, names: QueryNames): string[] {
  const phrases: string[] = [];
  const search = query.search?.trim();
  if (search) phrases.push(`matching “${search}”`);
  if (query.kind) phrases.push(query.kind === 'internal' ? 'internal users' : 'external users');
  if (query.realmId) phrases.push(`from ${names.realm(query.realmId) ?? 'a removed realm'}`);
  if (query.enabled !== undefined) phrases.push(query.enabled ? 'login enabled' : 'login disabled');
  if (query.incomplete) phrases.push('incomplete');
  if (query.completions) phrases.push('with completions');
  if (query.conflicts) phrases.push('with conflicts');
  if (query.missingField) phrases.push(`missing ${names.field(query.missingField) ?? query.missingField}`);
  if (query.unexported) phrases.push('completions not exported');
  if (query.staleDays !== undefined) phrases.push(`not synced for ${plural(query.staleDays, 'day')}`);
  if (query.directoryEnabled !== undefined) phrases.push(query.directoryEnabled ? 'enabled in the directory' : 'disabled in the directory');
  if (query.notFound) phrases.push('not found in their realm');
  return phrases;
}

/** Whether a query narrows the list at all (search text or any filter). */
export const isFiltered = (query: UserQueryInput, names: QueryNames): boolean => queryPhrases(query, names).length > 0;

/** A query in one line: "External users, missing Department" ("No filter: every user" when it has none). */
export function describeQuery(query: UserQueryInput, names: QueryNames): string {
  const phrases = queryPhrases(query, names);
  if (phrases.length === 0) return 'No filter: every user';
  const text = phrases.join(', ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
