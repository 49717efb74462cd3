import type { FormEvent } from 'react';
import type { SheetOpened, SheetTarget } from '#shared/model/sheet';
import { useFields } from '../../stores/fields-store';
import { useSheetImportActions, useSheetMapping, useSheetPreview } from './sheet-import-store';
import { mappingProblems, targetOptions } from './sheet-mapping';

/** Each column of the sheet: its header, a few values, and where it goes; then Preview. */
export function SheetMappingTable({ sheet }: { sheet: SheetOpened }) {
  const fields = useFields();
  const { mapping, clearEmpty } = useSheetMapping();
  const { previewing, previewError } = useSheetPreview();
  const { setTarget, setClearEmpty, previewNow } = useSheetImportActions();
  const options = targetOptions(fields.map((f) => ({ key: f.key, label: f.owner === 'directory' ? `${f.label} (owned by the directory)` : f.label })));
  const labelOf = (key: string) => fields.find((f) => f.key === key)?.label;
  const problems = mappingProblems(sheet.columns, mapping, labelOf);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (problems.length === 0 && !previewing) void previewNow();
  };
  return (
    <form className="sheet-mapping" onSubmit={submit} noValidate aria-labelledby="sheet-mapping-title">
      <div className="sheet-mapping__head">
        <h2 id="sheet-mapping-title">Columns</h2>
        <span className="muted" data-testid="sheet-summary">
          {sheet.rows.toLocaleString('en-US')} {sheet.rows === 1 ? 'row' : 'rows'} in <span className="mono">{sheet.file}</span> ({sheet.source})
        </span>
      </div>
      <table className="sheet-mapping__table">
        <thead>
          <tr>
            <th scope="col">Header</th>
            <th scope="col">First values</th>
            <th scope="col">Goes to</th>
          </tr>
        </thead>
        <tbody>
          {sheet.columns.map((column) => {
            const id = `sheet-target-${column.index}`;
            const header = column.header || `Column ${column.index + 1}`;
            return (
              <tr key={column.index} data-testid="sheet-column" data-header={column.header}>
                <th scope="row">
                  <label htmlFor={id}>{header}</label>
                </th>
                <td className="sheet-mapping__samples">
                  {column.samples.length === 0 ? (
                    <span className="muted">(empty)</span>
                  ) : (
                    column.samples.map((sample, i) => (
                      <span key={i} className="sheet-mapping__sample mono" title={sample}>
                        {sample === '' ? '""' : sample}
                      </span>
                    ))
                  )}
                </td>
                <td>
                  <select
                    id={id}
                    className="select"
                    value={mapping[column.index] ?? 'ignore'}
                    onChange={(event) => setTarget(column.index, event.target.value as SheetTarget)}
                  >
                    <option value={options.ignore.value}>{options.ignore.label}</option>
                    <optgroup label="Find the user by">
                      {options.match.map((o) => (
                        <option key={o.value} value={o.value}>
                          {o.label}
                        </option>
                      ))}
                    </optgroup>
                    <optgroup label="Set the field">
                      {options.fields.map((o) => (
                        <option key={o.value} value={o.value}>
                          {o.label}
                        </option>
                      ))}
                    </optgroup>
                  </select>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="checkbox">
        <input
          id="sheet-clear-empty"
          type="checkbox"
          checked={clearEmpty}
          onChange={(event) => setClearEmpty(event.target.checked)}
          aria-describedby="sheet-clear-empty-hint"
        />
        <label htmlFor="sheet-clear-empty">Empty cells clear values</label>
      </div>
      <p className="field__hint" id="sheet-clear-empty-hint">
        Off: an empty cell leaves the user’s value as it is. On: it empties the field.
      </p>
      {problems.length > 0 && (
        <ul className="sheet-mapping__problems" data-testid="sheet-problems">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      {previewError && (
        <p className="banner banner--error" role="alert">
          Could not preview: {previewError.message}
        </p>
      )}
      <div className="sheet-mapping__actions">
        <button type="submit" className="button button--primary" aria-disabled={previewing || problems.length > 0} aria-busy={previewing}>
          {previewing ? 'Checking every row…' : 'Preview'}
        </button>
      </div>
    </form>
  );
}
