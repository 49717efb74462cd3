import { realmColumnForced, writtenColumns, type ExportColumn } from '#shared/model/export';
import { useExportActions, useExportChoices } from './export-store';
import { isRequiredColumn } from './export-choices';

const GROUPS: { id: ExportColumn['group']; title: string; hint: string }[] = [
  {
    id: 'identity',
    title: 'Identity',
    hint: 'Always written: directory owners and re-import find each user by them.',
  },
  { id: 'account', title: 'Account', hint: 'Roster’s own state of each user.' },
  { id: 'field', title: 'Fields', hint: '“Roster” fields are completed here; the directory owns the others.' },
];

/** Why a column is written whatever is ticked, said beside it. */
const FORCED_REASON = 'always written in a change set as a sheet: each row says which directory it is for';

/** One column of the checklist; `forced`: the file carries it anyway (the realm of a sheet's change set). */
function ColumnCheck({ column, checked, forced, onChange }: { column: ExportColumn; checked: boolean; forced: boolean; onChange(on: boolean): void }) {
  const required = isRequiredColumn(column.key);
  const id = `export-column-${column.key}`;
  return (
    <li className="export-columns__check" title={forced ? `${column.description} (${FORCED_REASON})` : column.description}>
      <input id={id} type="checkbox" checked={checked || required || forced} disabled={required || forced} onChange={(event) => onChange(event.target.checked)} />
      <label htmlFor={id}>
        {column.label}
        {required && <span className="visually-hidden"> (always written)</span>}
        {forced && <span className="visually-hidden"> ({FORCED_REASON})</span>}
      </label>
      {column.owner === 'local' && <span className="badge">Roster</span>}
    </li>
  );
}

/**
 * The columns: a checklist by group (identity always on), and — under a heading that stays while the list
 * scrolls — exactly the columns the file will have, in its order, with up/down. A column the file carries
 * anyway (the realm of a sheet's change set) is ticked and listed where the file has it.
 */
export function ExportColumns({ catalogue }: { catalogue: ExportColumn[] }) {
  const { columns, format, content } = useExportChoices();
  const { toggleColumn, toggleColumns, moveColumn } = useExportActions();
  const byKey = new Map(catalogue.map((c) => [c.key, c]));
  const chosen = new Set(columns);
  const written = writtenColumns(columns, format, content).filter((key) => byKey.has(key));
  const forced = new Set(realmColumnForced(format, content) ? ['realm'] : []);
  return (
    <div className="export-columns" data-testid="export-columns">
      <fieldset className="export-section export-columns__pick">
        {/* A heading in the legend: the groups' h3 sit under it, as Order's h2 beside it (h1 → h2 → h3). */}
        <legend className="export-section__title">
          <h2 className="export-columns__pick-title">Columns</h2>
        </legend>
        {GROUPS.map((group) => {
          const members = catalogue.filter((c) => c.group === group.id);
          const keys = members.map((c) => c.key);
          const all = keys.every((k) => chosen.has(k));
          const none = !keys.some((k) => chosen.has(k));
          return (
            <div key={group.id} className="export-columns__group" role="group" aria-labelledby={`export-columns-${group.id}`}>
              <div className="export-columns__head">
                <h3 id={`export-columns-${group.id}`} className="export-columns__title">
                  {group.title}
                </h3>
                {/* aria-disabled, not disabled: the button just pressed keeps the keyboard focus. */}
                {group.id !== 'identity' && (
                  <>
                    <button
                      type="button"
                      className="link-button link-button--plain"
                      aria-label={`Every ${group.title.toLowerCase()} column`}
                      aria-disabled={all}
                      onClick={() => !all && toggleColumns(keys, true)}
                    >
                      All
                    </button>
                    <button
                      type="button"
                      className="link-button link-button--plain"
                      aria-label={`No ${group.title.toLowerCase()} column`}
                      aria-disabled={none}
                      onClick={() => !none && toggleColumns(keys, false)}
                    >
                      None
                    </button>
                  </>
                )}
              </div>
              <p className="export-columns__hint muted">{group.hint}</p>
              <ul className="export-columns__list">
                {members.map((column) => (
                  <ColumnCheck
                    key={column.key}
                    column={column}
                    checked={chosen.has(column.key)}
                    forced={forced.has(column.key)}
                    onChange={(on) => toggleColumn(column.key, on)}
                  />
                ))}
              </ul>
            </div>
          );
        })}
      </fieldset>
      <section className="export-section export-columns__order" aria-labelledby="export-order-title">
        <h2 id="export-order-title" className="export-section__title export-columns__order-title">
          Order ({written.length})
        </h2>
        <p className="muted export-columns__order-hint">The file&rsquo;s columns, left to right.</p>
        <ol className="export-order" data-testid="export-order">
          {written.map((key) => {
            const label = byKey.get(key)?.label ?? key;
            const index = columns.indexOf(key);
            // A column the file carries anyway (not among the chosen ones) stays where the file puts it.
            const fixed = index < 0;
            const first = fixed || index === 0;
            const last = fixed || index === columns.length - 1;
            return (
              <li key={key} className={fixed ? 'export-order__item export-order__item--fixed' : 'export-order__item'} data-column={key}>
                <span className="export-order__number" aria-hidden="true">
                  {written.indexOf(key) + 1}
                </span>
                <span className="export-order__label" title={fixed ? FORCED_REASON : undefined}>
                  {label}
                  {fixed && <span className="visually-hidden"> ({FORCED_REASON})</span>}
                </span>
                {/* aria-disabled, not disabled: a button that moved to the end keeps the keyboard focus. */}
                <button
                  type="button"
                  className="icon-button"
                  aria-label={`Move ${label} up`}
                  aria-disabled={first}
                  onClick={() => !first && moveColumn(key, -1)}
                >
                  ↑
                </button>
                <button
                  type="button"
                  className="icon-button"
                  aria-label={`Move ${label} down`}
                  aria-disabled={last}
                  onClick={() => !last && moveColumn(key, 1)}
                >
                  ↓
                </button>
              </li>
            );
          })}
        </ol>
      </section>
    </div>
  );
}
