import type { ImportRow } from '../../../../src-shared/model/sync';
import { describedBy, errorId } from '../../lib/field-aria';
import { useFocusedImportRow, useImportActions, useImportClash } from '../../stores/import-store';
import { useRealm } from '../../stores/realms-store';
import { RadioOption } from '../export/RadioOption';
import { rowDecision } from './clash-choices';

const NAME_ID = 'clash-row-name';

/**
 * The focused entry, when its username belongs to a user of another realm: the reason in full and its own
 * choice — Link, Import as <editable name>, or Skip. It follows the grid's focus (arrows, click), and Tab
 * from the grid reaches it; L, I and S in the grid choose without leaving it.
 */
export function ClashRowPanel() {
  const row = useFocusedImportRow();
  if (!row || row.status !== 'clash') return null;
  return <ClashRowChoices row={row} />;
}

function ClashRowChoices({ row }: { row: ImportRow }) {
  const { clash, realmId } = useImportClash();
  const { setRowClash, setRowName } = useImportActions();
  const realm = useRealm(realmId ?? undefined);
  const decision = rowDecision(clash, row, realm?.name ?? '');
  const holder = row.clash ? `${row.clash.username} of realm ${row.clash.realmName}` : 'the user holding it';
  const nameError = decision.choice === 'rename' && decision.problem ? decision.problem : undefined;
  return (
    <section className="clash-row" aria-labelledby="clash-row-title" data-testid="clash-row" data-dn={row.dn}>
      <h3 id="clash-row-title" className="clash-row__title">
        Username taken: <span className="mono">{row.username}</span> <span className="muted mono clash-row__dn">{row.dn}</span>
      </h3>
      <p className="clash-row__reason" id="clash-row-reason">
        {row.note}
      </p>
      <fieldset className="clash-row__choices" aria-describedby="clash-row-reason">
        <legend className="visually-hidden">What to do with {row.username}</legend>
        <RadioOption
          name="clash-row-choice"
          id="clash-row-link"
          label={`Link ${holder} to this entry`}
          checked={decision.choice === 'link'}
          onChange={() => setRowClash(row.dn, 'link')}
          hint="The same Roster user: id, local fields, roles and history kept; directory-owned fields from this realm."
        />
        <RadioOption
          name="clash-row-choice"
          id="clash-row-rename"
          label="Import as"
          checked={decision.choice === 'rename'}
          onChange={() => setRowClash(row.dn, 'rename')}
          hint={`A new user (${decision.typed ? 'the name you typed' : 'the name the rename rule gives'}); the other realm's user stays as it is.`}
          extra={
            <input
              id={NAME_ID}
              className="input mono clash-row__name"
              value={decision.username}
              aria-label={`Username to import ${row.username} under`}
              spellCheck={false}
              autoComplete="off"
              onChange={(event) => setRowName(row.dn, event.target.value)}
              {...describedBy(NAME_ID, nameError)}
            />
          }
        />
        <RadioOption
          name="clash-row-choice"
          id="clash-row-skip"
          label="Skip"
          checked={decision.choice === 'skip'}
          onChange={() => setRowClash(row.dn, 'skip')}
          hint="Leave it out of the import and report it, as before."
        />
      </fieldset>
      {nameError && (
        <p className="field__error" id={errorId(NAME_ID)} role="alert">
          {nameError}
        </p>
      )}
    </section>
  );
}
