import type { UserTarget } from '#shared/model/user';
import { JobProgress } from '../../components/JobProgress';
import { JobReport } from '../reports/JobReport';
import { useJob } from '../../stores/jobs-store';
import { useRealm } from '../../stores/realms-store';
import { jobWantsPassword, realmOfRefusal, useBulkResync, useSyncActions } from './sync-store';
import { BindPasswordPrompt } from './BindPasswordPrompt';
import './sync.css';

/** Under the bulk bar: the running "Resync selected" job, its report, or the bind password it needs. */
export function BulkResyncPanel({ target }: { target: UserTarget | null }) {
  const bulk = useBulkResync();
  const job = useJob(bulk.jobId);
  const { resyncUsers, dismissBulk } = useSyncActions();
  const askPassword = bulk.needsPassword || jobWantsPassword(job);
  const error = bulk.error ?? (askPassword && job?.error?.code !== 'password-required' ? job?.error : undefined);
  // The selection may span realms: main names the one that needs a password.
  const realm = useRealm(realmOfRefusal(bulk.error) ?? realmOfRefusal(job?.error));
  if (!bulk.jobId && !bulk.error && !bulk.needsPassword && !bulk.busy) return null;
  return (
    <div className="bulk-resync" data-testid="bulk-resync">
      {askPassword &&
        (target && realm ? (
          <BindPasswordPrompt
            realmName={realm.name}
            note={realm.passwordNote}
            busy={bulk.busy}
            onSubmit={(password) => void resyncUsers(target, { realmId: realm.id, password })}
          />
        ) : (
          <p className="banner banner--info">Select the users again to resync them with a bind password.</p>
        ))}
      {error && (
        <p className="banner banner--error" role="alert">
          Could not resync: {error.message}{' '}
          <button type="button" className="link-button" onClick={dismissBulk}>
            Dismiss
          </button>
        </p>
      )}
      {bulk.busy && !job && (
        <p className="muted" role="status">
          Starting the resync…
        </p>
      )}
      {job?.state === 'running' && <JobProgress jobId={job.id} label="Resyncing the selected users…" />}
      {job && job.state !== 'running' && !askPassword && <JobReport job={job} onClose={dismissBulk} />}
    </div>
  );
}
