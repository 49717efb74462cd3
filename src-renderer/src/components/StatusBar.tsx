import { useState } from 'react';
import { useAppInfo } from '../stores/app-store';
import { jobPercent, useRunningJobs } from '../stores/jobs-store';
import { JOB_TITLES } from './JobProgress';
import { useRealms } from '../stores/realms-store';
import { NoticesDialog } from './NoticesDialog';
import { RealmIndicator } from './RealmIndicator';
import './status-bar.css';

/** The bottom bar: reachability of each enabled realm, running jobs, the data folder and any notices. */
export function StatusBar() {
  const realms = useRealms();
  const { info, error } = useAppInfo();
  const [showNotices, setShowNotices] = useState(false);
  const running = useRunningJobs();
  const enabled = realms.filter((r) => r.enabled);
  const notices = info?.notices ?? [];
  return (
    <footer className="status-bar" data-testid="status-bar">
      <div className="status-bar__realms">
        {enabled.length === 0 ? <span className="muted">No enabled realms</span> : enabled.map((r) => <RealmIndicator key={r.id} realm={r} />)}
      </div>
      <div className="status-bar__info">
        {running.map((job) => (
          <span
            key={job.id}
            className="status-job"
            data-testid="status-job"
            title={`${job.phase} (${job.done.toLocaleString('en-US')} of ${job.total.toLocaleString('en-US')})`}
          >
            <span className="spinner" aria-hidden="true" />
            {JOB_TITLES[job.kind]}… {job.total > 0 ? `${jobPercent(job)}%` : ''}
          </span>
        ))}
        {error && (
          <span className="status-bar__error" title={error.message}>
            App info unavailable: {error.message}
          </span>
        )}
        {notices.length > 0 && (
          <button type="button" className="status-bar__notices" onClick={() => setShowNotices(true)}>
            ⚠ {notices.length} {notices.length === 1 ? 'notice' : 'notices'}
          </button>
        )}
        {info && (
          <span className="status-bar__data" title={`Data folder: ${info.dataDir}`}>
            Data: <span className="mono">{info.dataDir}</span>
          </span>
        )}
        {info && <span className="muted">v{info.version}</span>}
      </div>
      {showNotices && <NoticesDialog notices={notices} onClose={() => setShowNotices(false)} />}
    </footer>
  );
}
