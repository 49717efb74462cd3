import type { MouseEvent } from 'react';
import { useFieldLabels } from '../../stores/fields-store';
import { useImportClash, useImportRow, useImportRowChosen } from './import-store';
import { useRealm } from '../../stores/realms-store';
import type { ImportRow } from '#shared/model/sync';
import { rowDecision } from './clash-choices';
import { STATUS_LABELS } from './import-labels';

/** Height of a result row: two lines (who, then where and why). */
export const IMPORT_ROW_HEIGHT = 52;

/** The DOM id of a result row, for the grid's aria-activedescendant. */
export const importRowId = (index: number) => `import-row-${index}`;

interface ImportResultRowProps {
  index: number;
  top: number;
  focused: boolean;
  onClick(index: number, event: MouseEvent): void;
}

/** One directory entry of the result: who (name, job title, department), where, enabled upstream, and how it relates to the store. */
export function ImportResultRow({ index, top, focused, onClick }: ImportResultRowProps) {
  const row = useImportRow(index);
  const chosen = useImportRowChosen(row?.dn);
  const labels = useFieldLabels();
  const style = { transform: `translateY(${top}px)`, height: IMPORT_ROW_HEIGHT };
  if (!row) {
    return (
      <div role="row" aria-rowindex={index + 1} id={importRowId(index)} className="import-row import-row--loading" style={style}>
        <div role="gridcell" className="import-row__placeholder">
          <span className="visually-hidden">Loading…</span>
        </div>
      </div>
    );
  }
  const classes = ['import-row', chosen && 'import-row--selected', focused && 'import-row--focused'].filter(Boolean).join(' ');
  const changed = row.changedFields.map((f) => labels[f] ?? f).join(', ');
  // Job title and department tell namesakes apart ("Karim Haddad — Engineer · Sales").
  const role = [row.title, row.department].filter(Boolean).join(' · ');
  return (
    <div
      role="row"
      aria-rowindex={index + 1}
      aria-selected={chosen}
      id={importRowId(index)}
      className={classes}
      style={style}
      data-testid="import-row"
      data-username={row.username}
      data-status={row.status}
      onMouseDown={(event) => event.shiftKey && event.preventDefault()}
      onClick={(event) => onClick(index, event)}
    >
      <div role="gridcell" className="import-row__check">
        <input type="checkbox" tabIndex={-1} checked={chosen} readOnly aria-label={`Select ${row.username}`} />
      </div>
      <div role="gridcell" className="import-row__who">
        <div className="import-row__line">
          <strong className="import-row__username">{row.username}</strong>
          {row.displayName && (
            <span className="import-row__name" data-testid="import-row-name">
              {row.displayName}
            </span>
          )}
          {role && (
            <span className="import-row__role" data-testid="import-row-role" title={role}>
              {role}
            </span>
          )}
        </div>
        <div className="import-row__line import-row__line--second">
          {row.email && <span className="import-row__mail">{row.email}</span>}
          <span className="import-row__dn mono" title={row.dn}>
            {row.dn}
          </span>
          {row.status === 'changed' && changed && <span className="import-row__why">Changed: {changed}</span>}
          {row.note && (
            <span className={`import-row__why import-row__why--${row.status === 'clash' ? 'clash' : 'conflict'}`} title={row.note}>
              {row.note}
            </span>
          )}
          {row.note && !focused && <span className="import-row__why--more">Select to read why</span>}
        </div>
      </div>
      <div role="gridcell" className="import-row__state">
        {row.status === 'clash' && <ClashDecisionText row={row} />}
        {row.enabled ? <span className="muted">Enabled</span> : <span className="badge badge--disabled">Disabled in directory</span>}
        <span className={`status-badge status-badge--${row.status}`}>{STATUS_LABELS[row.status]}</span>
      </div>
    </div>
  );
}

/** What the next run does with a clashing entry: "Will link", "Will import as jdoe.acme", "Will skip". */
function ClashDecisionText({ row }: { row: ImportRow }) {
  const { clash, realmId } = useImportClash();
  const realm = useRealm(realmId ?? undefined);
  const decision = rowDecision(clash, row, realm?.name ?? '');
  const text =
    decision.choice === 'link'
      ? 'Will link'
      : decision.choice === 'skip'
        ? 'Will skip'
        : decision.problem
          ? 'Needs a valid name'
          : `Will import as ${decision.username}`;
  return (
    <span className={`import-row__decision import-row__decision--${decision.choice}`} data-testid="clash-decision">
      {text}
    </span>
  );
}
