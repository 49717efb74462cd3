import type { ExportScope } from '../../../../src-shared/model/export';
import type { UserQueryInput, UserTarget } from '../../../../src-shared/model/user';

/** Which users the Export screen writes: everyone, the Users list's filter, its selection, or a report's users. */
export type ScopeKind = 'all' | 'filter' | 'selection' | 'report';

/** A report's filter handed to the Export screen from Reports. */
export interface ReportScope {
  label: string;
  query: UserQueryInput;
}

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

/** The scope label main records in the export's description (the contract caps it at 200 characters). */
const label = (text: string) => (text.length > 200 ? `${text.slice(0, 199)}…` : text);

/** What the screen knows when it asks for an export. */
export interface ScopeContext {
  /** The Users list's query. */
  listQuery: UserQueryInput;
  /** The Users list's selection as a bulk target (ids, or everything its query matches), or null. */
  selection: UserTarget | null;
  report: ReportScope | null;
  names: QueryNames;
}

/** The contract's scope for a choice, or null when the choice has nothing behind it (no selection, no report). */
export function exportScopeFor(kind: ScopeKind, context: ScopeContext): ExportScope | null {
  switch (kind) {
    case 'all':
      return { kind: 'all' };
    case 'filter':
      return { kind: 'query', query: context.listQuery, label: label(`Users list: ${describeQuery(context.listQuery, context.names)}`) };
    case 'selection': {
      const target = context.selection;
      if (!target) return null;
      if ('ids' in target) return { kind: 'ids', ids: target.ids };
      const filter = isFiltered(target.query, context.names) ? ` in the filter (${describeQuery(target.query, context.names)})` : '';
      return { kind: 'query', query: target.query, label: label(`Selection: every user${filter}`) };
    }
    case 'report':
      return context.report ? { kind: 'query', query: context.report.query, label: label(`Report: ${context.report.label}`) } : null;
  }
}
