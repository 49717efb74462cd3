import type { ExportScope } from '#shared/model/export';
import { describeQuery, isFiltered, type QueryNames } from '#shared/model/query-text';
import type { UserQueryInput, UserTarget } from '#shared/model/user';

export { describeQuery, isFiltered, queryPhrases, type QueryNames } from '#shared/model/query-text';

/** Which users the Export screen writes: everyone, the Users list's filter, its selection, or a report's users. */
export type ScopeKind = 'all' | 'filter' | 'selection' | 'report';

/**
 * A report's users handed to the Export screen: a data-quality report's filter (from Reports), or the users a
 * job's report lists (an import, resync or reconcile), by id.
 */
export type ReportScope = { label: string } & ({ query: UserQueryInput; ids?: undefined } | { ids: string[]; query?: undefined });

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
      if (!context.report) return null;
      if (context.report.ids) return context.report.ids.length ? { kind: 'ids', ids: context.report.ids } : null;
      return { kind: 'query', query: context.report.query, label: label(`Report: ${context.report.label}`) };
  }
}
