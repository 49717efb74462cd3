import { useEffect } from 'react';
import { useAppStore } from '../../stores/app-store';
import { useFieldsActions, useFieldsStatus } from '../../stores/fields-store';
import { useImportActions, useImportForm, useImportPrompt, useImportResult } from './import-store';
import { useRealms, useRealmsStatus } from '../../stores/realms-store';
import { BindPasswordDialog } from './BindPasswordDialog';
import { ImportResults } from './ImportResults';
import { ImportRunPanel } from './ImportRunPanel';
import { ImportSearchForm } from './ImportSearchForm';
import './import.css';

/** "Import LDAP users": search an enabled realm, see what is new or changed, import or resync the choice. */
export function ImportScreen() {
  const realms = useRealms();
  const { loaded } = useRealmsStatus();
  const enabled = realms.filter((r) => r.enabled);
  const { realmId, searchError } = useImportForm();
  const { result } = useImportResult();
  const prompt = useImportPrompt();
  const { chooseRealm, submitPassword, cancelPrompt } = useImportActions();
  const go = useAppStore((s) => s.go);
  const { loaded: fieldsLoaded } = useFieldsStatus();
  const { load: loadFields } = useFieldsActions();

  // The realm picker offers enabled realms only; start on the first.
  const firstEnabled = enabled[0]?.id;
  const current = enabled.some((r) => r.id === realmId);
  useEffect(() => {
    if (!current && firstEnabled) chooseRealm(firstEnabled);
  }, [current, firstEnabled, chooseRealm]);
  // Changed fields are named by key; the catalogue gives their labels.
  useEffect(() => {
    if (!fieldsLoaded) void loadFields();
  }, [fieldsLoaded, loadFields]);

  return (
    <section className="import-screen" aria-labelledby="import-title">
      <header className="import-screen__header">
        <h1 id="import-title">Import LDAP users</h1>
      </header>
      {loaded && enabled.length === 0 ? (
        <div className="empty-pane" data-testid="import-no-realm">
          <h2>No enabled realm</h2>
          <p>Import reads users from a realm: add one (or enable one) in Realms first.</p>
          <p className="empty-pane__actions">
            <button type="button" className="button button--primary" onClick={() => go('realms')}>
              Go to Realms
            </button>
          </p>
        </div>
      ) : (
        <div className="import-screen__body">
          <ImportSearchForm realms={enabled} />
          {searchError && (
            <p className="banner banner--error" role="alert">
              Could not search: {searchError.message}
            </p>
          )}
          <ImportRunPanel />
          {result ? (
            <ImportResults result={result} />
          ) : (
            <p className="import-screen__idle muted">Search a realm to see its users, and which of them are new, already imported or changed.</p>
          )}
        </div>
      )}
      {prompt && (
        <BindPasswordDialog
          prompt={prompt}
          realm={realms.find((r) => r.id === prompt.realmId)}
          onSubmit={(p) => void submitPassword(p)}
          onCancel={cancelPrompt}
        />
      )}
    </section>
  );
}
