import { useState, type RefObject } from 'react';
import type { UserDetail } from '#shared/model/user';
import { fullTime, timeAgo } from '../../../lib/format-time';
import { useRealms } from '../../../stores/realms-store';
import { useResyncedAt, useResyncSession, useSyncActions } from '../../sync/sync-store';
import { useDetailActionStatus, useDetailActions } from './user-detail-store';
import { ConvertToExternalDialog } from './ConvertToExternalDialog';
import { ConvertToInternalDialog } from './ConvertToInternalDialog';
import { DeleteUserDialog } from './DeleteUserDialog';
import { ResyncDialog } from '../../sync/ResyncDialog';
import { ResyncedFlash } from './ResyncedFlash';

type Dialog = 'to-internal' | 'to-external' | 'delete' | null;

/** Who the user is (name, kind, realm), whether they may log in, and the user-wide actions. */
export function DetailHeader({ detail, onBack, headingRef }: { detail: UserDetail; onBack(): void; headingRef?: RefObject<HTMLHeadingElement | null> }) {
  const { busy, actionError } = useDetailActionStatus();
  const { setEnabled, dismissActionError } = useDetailActions();
  const [dialog, setDialog] = useState<Dialog>(null);
  const realms = useRealms();
  const resync = useResyncSession();
  const resyncedAt = useResyncedAt(detail.user.id);
  const { openResync } = useSyncActions();
  const { user } = detail;
  const origin = user.origin;
  const external = user.kind === 'external';
  // The user's own realm; an internal user may be matched by username in any realm, the first enabled one to start.
  const resyncRealm = () => origin?.realmId ?? (realms.find((r) => r.enabled) ?? realms[0])?.id ?? '';
  return (
    <header className="detail-header">
      <div className="detail-header__top">
        <button type="button" className="button button--quiet" onClick={onBack} aria-label="Back to users">
          ← Users
        </button>
        <h1 ref={headingRef} className="detail-header__name" tabIndex={-1}>
          {user.username}
        </h1>
        <span className="badge" data-testid="user-kind">
          {external ? `External · ${detail.realmName ?? 'unknown realm'}` : 'Internal'}
        </span>
        <span className={user.enabled ? 'pill pill--login-on' : 'pill pill--login-off'} data-testid="login-status" data-enabled={user.enabled}>
          {user.enabled ? 'Login enabled' : 'Login disabled'}
        </span>
        <button type="button" className="button button--small" onClick={() => void setEnabled(!user.enabled)} disabled={busy}>
          {user.enabled ? 'Disable login' : 'Enable login'}
        </button>
        <ResyncedFlash at={resyncedAt} />
        <div className="detail-header__actions">
          <button type="button" className="button" onClick={() => openResync(user, resyncRealm())}>
            Resynchronize…
          </button>
          {external ? (
            <button type="button" className="button" onClick={() => setDialog('to-internal')}>
              Convert to internal…
            </button>
          ) : (
            <button type="button" className="button" onClick={() => setDialog('to-external')}>
              Convert to external…
            </button>
          )}
          <button type="button" className="button" onClick={() => setDialog('delete')}>
            Delete user…
          </button>
        </div>
      </div>
      {origin && (
        <p className="detail-header__origin">
          <span className="mono" title="Distinguished name in the directory">
            {origin.dn}
          </span>
          <span className="muted" title={fullTime(origin.syncedAt)}>
            synced {timeAgo(origin.syncedAt)}
          </span>
          {!origin.directoryEnabled && <span className="pill pill--login-off">Disabled in the directory</span>}
          {origin.missingSince && <span className="pill pill--conflict">Not found in the directory since {fullTime(origin.missingSince)}</span>}
        </p>
      )}
      {actionError && (
        <p className="banner banner--error" role="alert">
          {actionError.message}{' '}
          <button type="button" className="link-button" onClick={dismissActionError}>
            Dismiss
          </button>
        </p>
      )}
      {dialog === 'to-internal' && <ConvertToInternalDialog detail={detail} onClose={() => setDialog(null)} />}
      {dialog === 'to-external' && <ConvertToExternalDialog detail={detail} onClose={() => setDialog(null)} />}
      {dialog === 'delete' && <DeleteUserDialog detail={detail} onClose={() => setDialog(null)} />}
      {resync?.userId === user.id && <ResyncDialog session={resync} />}
    </header>
  );
}
