import { useId, useState } from 'react';
import type { FieldDiff } from '#shared/model/sync';
import { LockIcon } from '../../components/LockIcon';
import { choiceOf, groupDiffRows, isDecision, isOverridden, OUTCOME_LABELS, resultValue, type Choice, type Choices } from './resync-diff';

interface DiffTableProps {
  fields: readonly FieldDiff[];
  choices: Choices;
  disabled: boolean;
  onChoose(field: string, choice: Choice): void;
  /** One side for every row with two different values. */
  onChooseAll(choice: Choice): void;
}

/** A value cell: empty values say so, so "cleared" and "blank" read differently from a space. */
export function DiffValue({ value }: { value: string }) {
  return value === '' ? <span className="muted diff-empty">(empty)</span> : <span className="diff-value">{value}</span>;
}

/** The three-way diff: Field | Last synced | In Roster | In directory | Result; unchanged rows on request. */
export function DiffTable({ fields, choices, disabled, onChoose, onChooseAll }: DiffTableProps) {
  const [showUnchanged, setShowUnchanged] = useState(false);
  const { changed, unchanged } = groupDiffRows(fields);
  const rows = showUnchanged ? [...changed, ...unchanged] : changed;
  return (
    <div className="diff">
      {changed.length === 0 && (
        <p className="banner banner--info" role="status">
          Roster already holds the directory’s values: saving only records the resync.
        </p>
      )}
      {changed.some(isDecision) && (
        <div className="diff__bulk" role="group" aria-label="Every field">
          <button type="button" className="button button--small" onClick={() => onChooseAll('directory')} disabled={disabled}>
            Take all directory values
          </button>
          <button type="button" className="button button--small" onClick={() => onChooseAll('local')} disabled={disabled}>
            Keep all Roster’s
          </button>
        </div>
      )}
      {rows.length > 0 && (
        <table className="diff-table" aria-label="Changes by field">
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Last synced</th>
              <th scope="col">In Roster</th>
              <th scope="col">In directory</th>
              <th scope="col">Result</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <DiffRow key={row.field} row={row} choices={choices} disabled={disabled} onChoose={onChoose} />
            ))}
          </tbody>
        </table>
      )}
      {unchanged.length > 0 && (
        <button type="button" className="link-button" aria-expanded={showUnchanged} onClick={() => setShowUnchanged(!showUnchanged)}>
          {showUnchanged ? 'Hide unchanged fields' : `Show unchanged fields (${unchanged.length})`}
        </button>
      )}
    </div>
  );
}

interface DiffRowProps {
  row: FieldDiff;
  choices: Choices;
  disabled: boolean;
  onChoose(field: string, choice: Choice): void;
}

/**
 * One field: its three values and what Save will do. Where the two values differ the admin chooses: a conflict
 * must be settled (a default is preset), a row the merge settled on its own may be turned the other way.
 */
function DiffRow({ row, choices, disabled, onChoose }: DiffRowProps) {
  const conflict = row.outcome === 'conflict';
  const choice = choiceOf(row, choices);
  const overridden = isOverridden(row, choices);
  return (
    <tr
      className={`diff-row diff-row--${row.outcome}`}
      data-testid="diff-row"
      data-field={row.field}
      data-outcome={row.outcome}
      data-overridden={overridden || undefined}
    >
      <th scope="row">
        {row.label}
        {row.owner === 'directory' && (
          <span className="diff-row__owner">
            <LockIcon />
          </span>
        )}
      </th>
      <td>
        <DiffValue value={row.base} />
      </td>
      <td className={row.local !== row.base ? 'diff-cell--moved' : undefined}>
        <DiffValue value={row.local} />
      </td>
      <td className={row.directory !== row.base ? 'diff-cell--moved' : undefined}>
        <DiffValue value={row.directory} />
      </td>
      <td>
        <div className="diff-row__result">
          <span className={`outcome outcome--${overridden ? 'overridden' : row.outcome}`}>{overridden ? 'Your choice' : OUTCOME_LABELS[row.outcome]}</span>
          {isDecision(row) && <ChoiceRadios field={row.field} label={row.label} choice={choice} disabled={disabled} onChoose={onChoose} />}
          {!conflict && row.outcome !== 'unchanged' && (
            <span className="diff-row__value">
              → <DiffValue value={resultValue(row, choices)} />
            </span>
          )}
        </div>
      </td>
    </tr>
  );
}

interface ChoiceRadiosProps {
  field: string;
  label: string;
  choice: Choice;
  disabled?: boolean;
  onChoose(field: string, choice: Choice): void;
}

/** "Keep Roster’s" / "Take directory’s" for one conflicting field. */
export function ChoiceRadios({ field, label, choice, disabled = false, onChoose }: ChoiceRadiosProps) {
  // Unique per group: the conflicts banner and the dialog may show the same field at once.
  const name = useId();
  return (
    <fieldset className="choice" data-testid="conflict-choice" data-field={field} data-choice={choice} disabled={disabled}>
      <legend className="visually-hidden">Value to keep for {label}</legend>
      <label className="choice__option">
        <input type="radio" name={name} value="local" checked={choice === 'local'} onChange={() => onChoose(field, 'local')} />
        Keep Roster’s
      </label>
      <label className="choice__option">
        <input type="radio" name={name} value="directory" checked={choice === 'directory'} onChange={() => onChoose(field, 'directory')} />
        Take directory’s
      </label>
    </fieldset>
  );
}
