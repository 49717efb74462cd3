import type { ImportRow } from '#shared/model/sync';
import { describedBy, errorId } from '../../lib/field-aria';
import { useUserNavigation } from '../../stores/app-store';
import { useFocusedImportRow, useImportActions, useImportClash } from './import-store';
import { useRealm } from '../../stores/realms-store';
import { RadioOption } from '../../components/RadioOption';
import { rowDecision } from './clash-choices';

const NAME_ID = 'clash-row-name';

/**
 * The focused entry, when it is a conflict: its reason whole. When its username belongs to a user of another realm: the reason in full and its own
 * choice — Link, Import as <editable name>, or Skip. It follows the grid's focus (arrows, click), and Tab
 * from the grid reaches it; L, I and S in the grid choose without leaving it.
 */
export function ClashRowPanel() {
  const row = useFocusedImportRow();
  if (row?.status === 'conflict') return <ConflictDetails row={row} />;
  if (!row || row.status !== 'clash') return null;
  return <ClashRowChoices row={row} />;
}

/** A conflict the run cannot settle (a DN or username held by another entry's user): the reason whole, and the user to look at. */
function ConflictDetails({ row }: { row: ImportRow }) {
  const { openUser } = useUserNavigation();
  const who = [row.displayName, row.title, row.department].filter(Boolean).join(' · ');
  return (
    <section className="import-details" aria-labelledby="import-details-title" data-testid="conflict-row" data-dn={row.dn}>
      <h3 id="import-details-title" className="import-details__title">
        Conflict: <span className="mono">{row.username}</span> <span className="muted mono clash-row__dn">{row.dn}</span>
      </h3>
      {who && <p className="import-details__who">{who}</p>}
      <p className="import-details__reason" data-testid="conflict-reason">
        {row.note}
      </p>
      <p className="muted">Import and Resync leave this entry out and report it; Roster never merges two directory objects into one user.</p>
      {row.userId && (
        <div>
          <button type="button" className="button button--small" onClick={() => openUser(row.userId!)}>
            Open the Roster user it collides with
          </button>
        </div>
      )}
    </section>
  );
}

function ClashRowChoices({ row }: { row: ImportRow }) {
  const { clash, realmId } = useImportClash();
  const { setRowClash, setRowName } = useImportActions();
  const realm = useRealm(realmId ?? undefined);
  const decision = rowDecision(clash, row, realm?.name ?? '');
  const holder = row.clash ? `${row.clash.username} of realm ${row.clash.realmName}` : 'the user holding it';
  const who = [row.displayName, row.title, row.department].filter(Boolean).join(' · ');
  const nameError = decision.choice === 'rename' && decision.problem ? decision.problem : undefined;
  return (
    <section className="clash-row" aria-labelledby="clash-row-title" data-testid="clash-row" data-dn={row.dn}>
      <h3 id="clash-row-title" className="clash-row__title">
        Username taken: <span className="mono">{row.username}</span> <span className="muted mono clash-row__dn">{row.dn}</span>
      </h3>
      {who && <p className="import-details__who">{who}</p>}
      <p className="clash-row__reason" id="clash-row-reason" data-testid="clash-reason">
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
