import { useDraftValue, useFormActions, useFormTarget, useIsDirty, useSaveStatus, useTestState } from './realm-form-hooks';
import { isFileRealm } from './realm-draft';
import { SavedFlash } from '../../components/SavedFlash';

/** The form's title bar: what is edited, its save state, and Test connection / Cancel / Save. */
export function RealmFormHeader() {
  const target = useFormTarget();
  const name = useDraftValue((d) => d.name);
  const dirty = useIsDirty();
  const { saving, savedAt } = useSaveStatus();
  const { running } = useTestState();
  // An LDIF realm has no server to test: its check reads the file, counts users and samples the mapping.
  const file = useDraftValue(isFileRealm);
  const { runTest, cancel } = useFormActions();
  // A draft with errors is not tested: its fields say why (once each), and focus goes to the first of them.
  const test = async (button: HTMLElement) => {
    if (await runTest()) return;
    const form = button.closest('form');
    requestAnimationFrame(() => {
      if (!form?.querySelector('[data-testid="connection-test"]')) form?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
    });
  };
  const title = target.kind === 'new' ? 'New realm' : name.trim() || 'Untitled realm';
  return (
    <header className="form-header">
      <div className="form-header__title">
        <h2>{title}</h2>
        {dirty && target.kind === 'realm' && <span className="pill pill--modified">Modified</span>}
        <SavedFlash savedAt={savedAt} />
      </div>
      <div className="form-header__actions">
        <button type="button" className="button" onClick={(event) => void test(event.currentTarget)} disabled={running} aria-busy={running}>
          {running && <span className="spinner" aria-hidden="true" />}
          {running ? (file ? 'Checking…' : 'Testing…') : file ? 'Check file' : 'Test connection'}
        </button>
        <button type="button" className="button" onClick={cancel}>
          Cancel
        </button>
        <button type="submit" className="button button--primary" disabled={saving} aria-busy={saving}>
          {saving ? 'Saving…' : 'Save'}
        </button>
      </div>
    </header>
  );
}
