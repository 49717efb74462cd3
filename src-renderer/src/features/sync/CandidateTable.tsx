import type { DirectoryCandidate } from '#shared/model/user';
import { MATCH_LABELS } from './resync-diff';

/** What a column after the radio and the DN shows of each entry. */
export type CandidateCell = 'username' | 'email' | 'enabled' | 'externalId' | 'match';

export interface CandidateColumn {
  cell: CandidateCell;
  header: string;
}

export interface CandidateTableProps {
  candidates: DirectoryCandidate[];
  /** The DN of the entry chosen, if any. */
  chosen: string | null;
  onChoose(dn: string): void;
  /** The table's accessible name. */
  label: string;
  /** The radios' group name. */
  radioName: string;
  /** Each row's data-testid. */
  rowTestId: string;
  /** The columns after the radio and the DN, in order, each under its own header. */
  columns: readonly CandidateColumn[];
  /** An entry disabled in the directory says No in a pill rather than as plain text. */
  disabledAsPill?: boolean;
  /** Each row carries data-match: how the entry was matched to the user. */
  matchAttribute?: boolean;
  /** No entry can be chosen (a click on a row does nothing, the radios are disabled). */
  disabled?: boolean;
}

/**
 * Directory entries to pick one from, one radio row each, the DN first: the Resync dialog's candidates and
 * Convert to external's entries found.
 */
export function CandidateTable({ candidates, chosen, onChoose, label, radioName, rowTestId, columns, disabledAsPill, matchAttribute, disabled = false }: CandidateTableProps) {
  const cell = (c: DirectoryCandidate, kind: CandidateCell) => {
    switch (kind) {
      case 'username':
        return <td key={kind}>{c.username}</td>;
      case 'email':
        return <td key={kind}>{c.email || <span className="muted">—</span>}</td>;
      case 'enabled':
        return <td key={kind}>{c.enabled ? 'Yes' : disabledAsPill ? <span className="pill pill--login-off">No</span> : 'No'}</td>;
      case 'externalId':
        return (
          <td key={kind} className="mono candidates__id" title={c.externalId}>
            {c.externalId}
          </td>
        );
      case 'match':
        return <td key={kind}>{c.match ? MATCH_LABELS[c.match] : <span className="muted">—</span>}</td>;
    }
  };
  return (
    <table className="candidates" aria-label={label}>
      <thead>
        <tr>
          <th scope="col">
            <span className="visually-hidden">Choose</span>
          </th>
          <th scope="col">DN</th>
          {columns.map((column) => (
            <th key={column.cell} scope="col">
              {column.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {candidates.map((c) => (
          <tr
            key={c.dn}
            className={c.dn === chosen ? 'candidates__row candidates__row--chosen' : 'candidates__row'}
            data-testid={rowTestId}
            data-match={matchAttribute ? c.match : undefined}
            onClick={() => !disabled && onChoose(c.dn)}
          >
            <td>
              <input type="radio" name={radioName} checked={c.dn === chosen} disabled={disabled} onChange={() => onChoose(c.dn)} aria-label={c.dn} />
            </td>
            <td className="mono candidates__dn">{c.dn}</td>
            {columns.map((column) => cell(c, column.cell))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
