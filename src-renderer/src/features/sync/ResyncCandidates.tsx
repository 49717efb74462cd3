import type { DirectoryCandidate } from '#shared/model/user';
import { CandidateTable, type CandidateColumn } from './CandidateTable';

const COLUMNS: readonly CandidateColumn[] = [
  { cell: 'email', header: 'Mail' },
  { cell: 'enabled', header: 'Enabled in directory' },
  { cell: 'externalId', header: 'External id' },
  { cell: 'match', header: 'Matched by' },
];

interface ResyncCandidatesProps {
  candidates: DirectoryCandidate[];
  chosen: string | null;
  disabled: boolean;
  onChoose(dn: string): void;
}

/** The directory entries that could be the user, one radio row each, best match first. */
export function ResyncCandidates({ candidates, chosen, disabled, onChoose }: ResyncCandidatesProps) {
  return (
    <CandidateTable
      candidates={candidates}
      chosen={chosen}
      onChoose={onChoose}
      label="Matching directory entries"
      radioName="resync-candidate"
      rowTestId="resync-candidate"
      columns={COLUMNS}
      disabledAsPill
      matchAttribute
      disabled={disabled}
    />
  );
}
