import type { AuditChange } from '#shared/model/audit';
import { changeLabel, changeValue } from '../lib/change-labels';
import './changes-table.css';

const shown = (key: string, value: string) => (value === '' ? <span className="muted">(empty)</span> : changeValue(key, value));

/** The before → after of each field an audit entry changed. */
export function ChangesTable({ changes, labels }: { changes: AuditChange[]; labels: Record<string, string> }) {
  return (
    <table className="changes" data-testid="changes">
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Before</th>
          <th scope="col" aria-hidden="true" />
          <th scope="col">After</th>
        </tr>
      </thead>
      <tbody>
        {changes.map((change, index) => (
          <tr key={`${change.field}-${index}`} data-field={change.field}>
            <th scope="row">{changeLabel(change.field, labels)}</th>
            <td className={change.before === '' ? undefined : 'changes__before'}>{shown(change.field, change.before)}</td>
            <td className="changes__arrow" aria-hidden="true">
              →
            </td>
            <td className={change.after === '' ? undefined : 'changes__after'}>{shown(change.field, change.after)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
