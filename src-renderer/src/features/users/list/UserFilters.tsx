import { memo, type ReactNode } from 'react';
import { useRealms } from '../../../stores/realms-store';
import { useShallow } from 'zustand/react/shallow';
import { filtersOf, useListReport, useUserFacets, useUsersListActions, useUsersListStore, type UserFilters as Filters } from './users-list-store';
import { FacetButton } from './FacetButton';

/** The report the list was opened on (from Reports), as a chip that takes its filters off. */
function ReportChip() {
  const report = useListReport();
  const { clearReport } = useUsersListActions();
  if (!report) return null;
  return (
    <div className="user-filters__group" role="group" aria-label="Report">
      <span className="report-chip" data-testid="report-chip">
        <span className="report-chip__label">Report: {report.label}</span>
        <button
          type="button"
          className="report-chip__remove"
          aria-label={`Remove the report filter: ${report.label}`}
          title="Show all users again"
          onClick={clearReport}
        >
          ×
        </button>
      </span>
    </div>
  );
}

/**
 * The filter sidebar: where users come from (all, internal, external, each realm), login state, and data
 * state. Groups combine (AND); within "Source" and "Login" one choice holds. Counts are over the search.
 * A report opened from Reports shows on top as a chip; its filters combine with the others.
 */
export const UserFilters = memo(function UserFilters() {
  // The filters alone: a keystroke changes the search, and the counts come with its answer.
  const current = useUsersListStore(useShallow((s) => filtersOf(s.query)));
  const facets = useUserFacets();
  const realms = useRealms();
  const { setFilters } = useUsersListActions();
  const apply = (patch: Filters) => setFilters({ ...current, ...patch });
  const toggle = (key: 'incomplete' | 'completions' | 'conflicts') => apply({ [key]: current[key] ? undefined : true });
  const login = (enabled: boolean) => apply({ enabled: current.enabled === enabled ? undefined : enabled });
  const source = current.realmId ?? current.kind ?? 'all';
  // Realms main counts users for but the list no longer has (deleted realms) still get a line.
  const realmIds = [...realms.map((r) => r.id), ...Object.keys(facets?.realms ?? {}).filter((id) => !realms.some((r) => r.id === id))];
  return (
    <aside className="user-filters" aria-label="Filters">
      <ReportChip />
      <FilterGroup title="Source">
        <FacetButton name="all" label="All users" count={facets?.all} pressed={source === 'all'} onClick={() => apply({ kind: undefined, realmId: undefined })} />
        <FacetButton name="internal" label="Internal" count={facets?.internal} pressed={source === 'internal'} onClick={() => apply({ kind: 'internal', realmId: undefined })} />
        <FacetButton name="external" label="External" count={facets?.external} pressed={source === 'external'} onClick={() => apply({ kind: 'external', realmId: undefined })} />
        {realmIds.map((id) => (
          <FacetButton
            key={id}
            name={`realm-${id}`}
            label={realms.find((r) => r.id === id)?.name ?? 'Removed realm'}
            count={facets ? (facets.realms[id] ?? 0) : undefined}
            pressed={source === id}
            indent
            onClick={() => apply({ kind: undefined, realmId: id })}
          />
        ))}
      </FilterGroup>
      <FilterGroup title="Login">
        <FacetButton name="enabled" label="Enabled" count={facets?.enabled} pressed={current.enabled === true} onClick={() => login(true)} />
        <FacetButton name="disabled" label="Disabled" count={facets?.disabled} pressed={current.enabled === false} onClick={() => login(false)} />
      </FilterGroup>
      <FilterGroup title="Data">
        <FacetButton name="incomplete" label="Incomplete" count={facets?.incomplete} pressed={!!current.incomplete} onClick={() => toggle('incomplete')} />
        <FacetButton name="completions" label="Has completions" count={facets?.completions} pressed={!!current.completions} onClick={() => toggle('completions')} />
        <FacetButton name="conflicts" label="Has conflicts" count={facets?.conflicts} pressed={!!current.conflicts} onClick={() => toggle('conflicts')} />
      </FilterGroup>
    </aside>
  );
});

function FilterGroup({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="user-filters__group" role="group" aria-label={title}>
      <h2 className="user-filters__title" aria-hidden="true">
        {title}
      </h2>
      {children}
    </div>
  );
}
