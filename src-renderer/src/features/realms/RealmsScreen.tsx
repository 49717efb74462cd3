import { useEffect } from 'react';
import { FirstRunPanel } from '../demo/FirstRunPanel';
import { useFormActions, useFormTarget } from './realm-form-hooks';
import { useRealmsStatus, useRealmsStore } from '../../stores/realms-store';
import { DiscardChangesDialog } from './DiscardChangesDialog';
import { RealmEditor } from './RealmEditor';
import { RealmList } from './RealmList';
import './realms.css';

/** Realm settings: the list on the left, the selected realm's form on the right. */
export function RealmsScreen() {
  const { loaded, count } = useRealmsStatus();
  const firstId = useRealmsStore((s) => s.realms[0]?.id);
  const target = useFormTarget();
  const { open } = useFormActions();
  // An empty form pane helps nobody when realms exist: open the first one.
  useEffect(() => {
    if (loaded && target.kind === 'none' && firstId) open({ kind: 'realm', id: firstId });
  }, [loaded, target.kind, firstId, open]);
  return (
    <div className="realms-screen">
      <RealmList />
      <div className="realm-editor-pane">
        {loaded && count === 0 && target.kind === 'none' ? <FirstRunPanel /> : <RealmEditor />}
      </div>
      <DiscardChangesDialog />
    </div>
  );
}
