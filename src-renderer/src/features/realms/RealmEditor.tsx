import { useFormSession, useFormTarget } from './realm-form-hooks';
import { RealmForm } from './RealmForm';
import { ReconcileDialogHost } from '../sync/ReconcileDialog';

/** The right pane: the realm form, or a hint when nothing is open. */
export function RealmEditor() {
  const target = useFormTarget();
  const session = useFormSession();
  if (target.kind === 'none') {
    return (
      <div className="empty-pane">
        <h2>No realm selected</h2>
        <p>A realm tells Roster where a directory is and how to read its users. Use “Add realm” to set one up, then “Test connection”.</p>
        <ReconcileDialogHost />
      </div>
    );
  }
  return (
    <>
      <RealmForm key={session} />
      <ReconcileDialogHost />
    </>
  );
}
