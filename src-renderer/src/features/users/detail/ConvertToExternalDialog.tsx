import { useEffect, useState, type FormEvent } from 'react';
import type { UserDetail } from '#shared/model/user';
import { Field } from '../../../components/Field';
import { Modal } from '../../../components/Modal';
import { CandidateTable, type CandidateColumn } from '../../sync/CandidateTable';
import { useRealms } from '../../../stores/realms-store';
import { passwordMissing } from '../../../stores/session-password';
import { useConvertActions, useConvertSession } from './convert-store';

/** The entries found, after the radio and the DN. */
const COLUMNS: readonly CandidateColumn[] = [
  { cell: 'username', header: 'Username' },
  { cell: 'email', header: 'Email' },
  { cell: 'enabled', header: 'Enabled' },
  { cell: 'externalId', header: 'Id' },
];

/**
 * Links an internal user to a directory entry: choose a realm, find the entries matching the username,
 * tick one, convert. Asks for the bind password only when main has none for the realm's server and bind DN;
 * the typed value goes to main with Find and is dropped here.
 */
export function ConvertToExternalDialog({ detail, onClose }: { detail: UserDetail; onClose(): void }) {
  const realms = useRealms();
  const { openConvert, closeConvert, chooseRealm, choose, find, convert } = useConvertActions();
  const { realmId, found, chosen, busy, error } = useConvertSession();
  const [initialRealm] = useState(() => (realms.find((r) => r.enabled) ?? realms[0])?.id ?? '');
  const [password, setPassword] = useState('');
  // Closing drops a Find or a conversion on its way: its answer has no dialog to land in.
  useEffect(() => {
    openConvert(initialRealm);
    return closeConvert;
  }, [initialRealm, openConvert, closeConvert]);
  const realm = realms.find((r) => r.id === realmId);
  // A file realm, or one read anonymously, has no bind password to ask for.
  const askPassword = passwordMissing(realm);
  const candidates = found?.candidates ?? null;

  const findNow = async (event: FormEvent) => {
    event.preventDefault();
    if (!realmId || busy) return;
    await find(password || undefined);
    setPassword('');
  };
  const convertNow = async () => {
    if (await convert()) onClose();
  };

  return (
    <Modal
      title={`Convert ${detail.user.username} to an external user`}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className="button button--primary"
            onClick={() => void convertNow()}
            disabled={!chosen || busy !== null}
            aria-busy={busy === 'convert'}
          >
            {busy === 'convert' ? 'Converting…' : 'Convert'}
          </button>
        </>
      }
    >
      <form className="convert-dialog" onSubmit={(event) => void findNow(event)} noValidate>
        <p>
          Links the user to a directory entry. Directory-owned fields then follow the directory; local fields keep the values typed here and become completions
          where the directory differs.
        </p>
        {realms.length === 0 ? (
          <p className="banner banner--info">No realm is set up yet. Add one under Realms first.</p>
        ) : (
          <Field id="convert-realm" label="Realm">
            <select
              id="convert-realm"
              className="select"
              value={realmId}
              onChange={(event) => {
                // A password typed for one realm's server never goes to another's.
                setPassword('');
                chooseRealm(event.target.value);
              }}
              disabled={busy === 'convert'}
              data-autofocus
            >
              {realms.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                  {r.enabled ? '' : ' (disabled)'}
                </option>
              ))}
            </select>
          </Field>
        )}
        {askPassword && (
          <Field
            id="convert-password"
            label="Bind password"
            hint={`${realm?.passwordNote ?? 'No password is kept for this realm.'} Roster keeps the one typed here in memory until it quits.`}
          >
            <input
              id="convert-password"
              className="input input--medium"
              type="password"
              autoComplete="off"
              value={password}
              onChange={(event) => setPassword(event.target.value)}
              aria-describedby="convert-password-hint"
            />
          </Field>
        )}
        <div className="convert-dialog__find">
          <button type="submit" className="button" disabled={!realmId || busy !== null} aria-busy={busy === 'find'}>
            {busy === 'find' && <span className="spinner" aria-hidden="true" />}
            {busy === 'find' ? 'Finding…' : 'Find'}
          </button>
          <span className="field__hint">
            Looks for entries with the username “{detail.user.username}”{realm?.kind === 'ldif-file' ? ' in the realm’s LDIF file' : ''}.
          </span>
        </div>
        {error && (
          <p className="banner banner--error" role="alert">
            {error.message}
          </p>
        )}
        {candidates?.length === 0 && (
          <p className="banner banner--info" role="status">
            No entry in {realm?.name ?? 'this realm'} has the username “{detail.user.username}”.
          </p>
        )}
        {candidates && candidates.length > 0 && (
          <CandidateTable
            candidates={candidates}
            chosen={chosen}
            onChoose={choose}
            label="Directory entries found"
            radioName="convert-candidate"
            rowTestId="directory-candidate"
            columns={COLUMNS}
          />
        )}
      </form>
    </Modal>
  );
}
