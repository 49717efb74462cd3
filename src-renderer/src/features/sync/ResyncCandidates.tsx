import type { DirectoryCandidate } from '#shared/model/user';
import { MATCH_LABELS } from './resync-diff';

interface ResyncCandidatesProps {
  candidates: DirectoryCandidate[];
  chosen: string | null;
  disabled: boolean;
  onChoose(dn: string): void;
}

/** The directory entries that could be the user, one radio row each, best match first. */
export function ResyncCandidates({ candidates, chosen, disabled, onChoose }: ResyncCandidatesProps) {
  return (
    <table className="candidates" aria-label="Matching directory entries">
      <thead>
        <tr>
          <th scope="col">
            <span className="visually-hidden">Choose</span>
          </th>
          <th scope="col">DN</th>
          <th scope="col">Mail</th>
          <th scope="col">Enabled in directory</th>
          <th scope="col">External id</th>
          <th scope="col">Matched by</th>
        </tr>
      </thead>
      <tbody>
        {candidates.map((c) => (
          <tr
            key={c.dn}
            className={c.dn === chosen ? 'candidates__row candidates__row--chosen' : 'candidates__row'}
            data-testid="resync-candidate"
            data-match={c.match}
            onClick={() => !disabled && onChoose(c.dn)}
          >
            <td>
              <input type="radio" name="resync-candidate" checked={c.dn === chosen} disabled={disabled} onChange={() => onChoose(c.dn)} aria-label={c.dn} />
            </td>
            <td className="mono candidates__dn">{c.dn}</td>
            <td>{c.email || <span className="muted">—</span>}</td>
            <td>{c.enabled ? 'Yes' : <span className="pill pill--login-off">No</span>}</td>
            <td className="mono candidates__id" title={c.externalId}>
              {c.externalId}
            </td>
            <td>{c.match ? MATCH_LABELS[c.match] : <span className="muted">—</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
