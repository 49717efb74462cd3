import { useEffect } from 'react';
import { useExportActions, useExportScope } from './export-store';
import { useFieldLabels } from '../../stores/fields-store';
import { useRealms } from '../../stores/realms-store';
import { useListReport, useUsersQuery, useUsersSelection, useUsersStatus } from '../users/list/users-list-store';
import { selectedCount } from '../users/list/selection';
import { describeQuery, isFiltered, type QueryNames, type ScopeKind } from './export-scope';
import { RadioOption } from '../../components/RadioOption';

/** Which users: all, the Users list's filter, its selection, or the report the screen was opened from. */
export function ExportScopeChoice() {
  const { scopeKind, report } = useExportScope();
  const { setScopeKind } = useExportActions();
  const { query } = useUsersQuery();
  const { selection } = useUsersSelection();
  const { total } = useUsersStatus();
  const listReport = useListReport();
  const realms = useRealms();
  const labels = useFieldLabels();
  const names: QueryNames = { realm: (id) => realms.find((r) => r.id === id)?.name, field: (key) => labels[key] };
  const filtered = isFiltered(query, names);
  const picked = selectedCount(selection, total);
  const filterText = listReport ? `Report: ${listReport.label}${filtered ? ` (${describeQuery(query, names)})` : ''}` : describeQuery(query, names);
  const choose = (kind: ScopeKind) => () => setScopeKind(kind);
  // A choice with nothing behind it any more (the selection was cleared in Users) falls back to everyone.
  const unavailable = (scopeKind === 'selection' && picked === 0) || (scopeKind === 'filter' && !filtered) || (scopeKind === 'report' && !report);
  useEffect(() => {
    if (unavailable) setScopeKind('all');
  }, [unavailable, setScopeKind]);
  return (
    <fieldset className="export-section" data-testid="export-scope">
      <legend className="export-section__title">Users</legend>
      <RadioOption name="export-scope" id="export-scope-all" label="All users" checked={scopeKind === 'all'} onChange={choose('all')} />
      <RadioOption
        name="export-scope"
        id="export-scope-filter"
        label="The Users list’s filter"
        checked={scopeKind === 'filter'}
        disabled={!filtered}
        onChange={choose('filter')}
        hint={filtered ? filterText : 'The Users list shows every user: filter it there to export part of it.'}
      />
      <RadioOption
        name="export-scope"
        id="export-scope-selection"
        label="The selection in Users"
        checked={scopeKind === 'selection'}
        disabled={picked === 0}
        onChange={choose('selection')}
        hint={
          picked === 0
            ? 'Nothing is selected in the Users list.'
            : selection.all
              ? `Every user of the list (${picked.toLocaleString('en-US')})`
              : `${picked.toLocaleString('en-US')} ${picked === 1 ? 'user' : 'users'} selected`
        }
      />
      {report && (
        <RadioOption
          name="export-scope"
          id="export-scope-report"
          label={`Report: ${report.label}`}
          checked={scopeKind === 'report'}
          onChange={choose('report')}
          hint={report.ids ? `The ${report.ids.length.toLocaleString('en-US')} ${report.ids.length === 1 ? 'user' : 'users'} it lists` : describeQuery(report.query, names)}
        />
      )}
    </fieldset>
  );
}
