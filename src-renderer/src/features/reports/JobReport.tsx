import { useEffect, type ReactNode } from 'react';
import type { ExportResult } from '#shared/model/export';
import type { Job, SyncChange, SyncSummary } from '#shared/model/sync';
import { ChangesTable } from '../../components/ChangesTable';
import { newInDirectoryText, reportedUserIds } from './job-report';
import { useFieldLabels, useFieldsActions, useFieldsStatus } from '../../stores/fields-store';
import { useJobReportActions } from './reports-store';
import './job-report.css';

const KIND_NAMES: Record<Job['kind'], string> = { import: 'Import', resync: 'Resync', reconcile: 'Reconcile', export: 'Export' };
const STATE_WORDS: Record<Job['state'], string> = { running: 'running', done: 'finished', failed: 'failed', cancelled: 'cancelled' };
const ACTION_LABELS: Record<SyncChange['action'], string> = {
  created: 'Created',
  updated: 'Updated',
  unchanged: 'Unchanged',
  conflict: 'Conflict',
  'not-found': 'Not found',
  skipped: 'Skipped',
};

const count = (n: number) => n.toLocaleString('en-US');

/** The report's figures, in the order an admin reads them. */
const FIGURES: { key: keyof SyncSummary & ('created' | 'updated' | 'unchanged' | 'conflicts' | 'notFound' | 'disabledUpstream'); label: string }[] = [
  { key: 'created', label: 'Created' },
  { key: 'updated', label: 'Updated' },
  { key: 'unchanged', label: 'Unchanged' },
  { key: 'conflicts', label: 'Conflicts' },
  { key: 'notFound', label: 'Not found' },
  { key: 'disabledUpstream', label: 'Disabled upstream' },
];

/** One user's outcome: a line (the username opens the user), and the field changes beneath it. */
function ChangeItem({ change, labels, onOpen }: { change: SyncChange; labels: Record<string, string>; onOpen(userId: string): void }) {
  const userId = change.userId;
  return (
    <li className="job-report__change" data-testid="job-report-change" data-username={change.username} data-action={change.action}>
      <div className="job-report__change-head">
        <span className={`status-badge status-badge--${change.action}`}>{ACTION_LABELS[change.action]}</span>
        {userId ? (
          <button type="button" className="link-button job-report__user" data-testid="report-user-link" onClick={() => onOpen(userId)}>
            <strong>{change.username}</strong>
            <span className="visually-hidden"> (open the user)</span>
          </button>
        ) : (
          <strong>{change.username}</strong>
        )}
        <span className="mono muted job-report__dn" title={change.dn}>
          {change.dn}
        </span>
      </div>
      {change.note && <p className="job-report__note">{change.note}</p>}
      {change.changes.length > 0 && <ChangesTable changes={change.changes} labels={labels} />}
    </li>
  );
}

/** What an export wrote: users, records, what it skipped and why, and the files. */
function ExportFigures({ result }: { result: ExportResult }) {
  const skipped = result.skipped.filter((s) => s.count > 0);
  const skippedTotal = skipped.reduce((sum, s) => sum + s.count, 0);
  return (
    <>
      <dl className="job-report__figures">
        <div className="job-report__figure" data-testid="report-users">
          <dt>Users</dt>
          <dd>{count(result.users)}</dd>
        </div>
        <div className="job-report__figure" data-testid="report-records">
          <dt>{result.format === 'ldif' ? 'Modify records' : 'Rows'}</dt>
          <dd>{count(result.records)}</dd>
        </div>
        <div className="job-report__figure" data-testid="report-skipped">
          <dt>Left out</dt>
          <dd>{count(skippedTotal)}</dd>
        </div>
      </dl>
      {skipped.length > 0 && (
        <ul className="job-report__skipped">
          {skipped.map((s) => (
            <li key={s.reason}>
              {count(s.count)} left out: {s.reason}
            </li>
          ))}
        </ul>
      )}
      <div className="job-report__files">
        <span className="muted">{result.files.length === 1 ? 'File' : 'Files'}</span>
        <ul>
          {result.files.map((file) => (
            <li key={file} className="mono" data-testid="report-file">
              {file}
            </li>
          ))}
        </ul>
      </div>
      <p className="muted job-report__scope">Scope: {result.scope}</p>
    </>
  );
}

interface JobReportProps {
  job: Job;
  onClose?: () => void;
  /** Buttons for what comes next ("Show in folder"), under the figures. */
  actions?: ReactNode;
}

/** What a finished job did: the counts, its error and what the store holds if it stopped early, per-user changes. */
export function JobReport({ job, onClose, actions }: JobReportProps) {
  const labels = useFieldLabels();
  const { openReportedUser, exportJobReport, importNewEntries } = useJobReportActions();
  const listed = reportedUserIds(job.summary).length;
  const { loaded } = useFieldsStatus();
  const { load } = useFieldsActions();
  // Changes name fields by key; the labels come from the field catalogue.
  useEffect(() => {
    if (!loaded) void load();
  }, [loaded, load]);
  const summary = job.summary;
  const title = `${KIND_NAMES[job.kind]} ${STATE_WORDS[job.state]}`;
  const shown = summary?.changes.filter((c) => c.action !== 'unchanged') ?? [];
  return (
    <section className={`job-report job-report--${job.state}`} data-testid="job-report" data-state={job.state} aria-labelledby={`job-report-${job.id}`}>
      <header className="job-report__header">
        <h2 id={`job-report-${job.id}`}>{title}</h2>
        {job.total > 0 && job.kind !== 'export' && (
          <span className="muted">
            {count(job.total)} {job.total === 1 ? 'entry' : 'entries'}
          </span>
        )}
        {summary?.dryRun && <span className="pill pill--modified">Dry run: nothing saved</span>}
        {onClose && (
          <button type="button" className="button button--small job-report__close" onClick={onClose}>
            Close report
          </button>
        )}
      </header>
      {job.state !== 'done' && (job.error || job.consistency) && (
        <div className="banner banner--error" role="alert">
          {job.error && <p>{job.error.message}</p>}
          {job.consistency && <p>{job.consistency}</p>}
        </div>
      )}
      {summary && (
        <dl className="job-report__figures">
          {FIGURES.map(({ key, label }) => (
            <div key={key} className="job-report__figure" data-testid={`report-${key}`}>
              <dt>{label}</dt>
              <dd>{count(summary[key])}</dd>
            </div>
          ))}
        </dl>
      )}
      {summary?.usernameClashes && (
        <p className="job-report__clashes" data-testid="report-username-clashes">
          Usernames held in another realm: {count(summary.usernameClashes.link)} linked, {count(summary.usernameClashes.rename)} imported under another
          username, {count(summary.usernameClashes.skip)} skipped.
        </p>
      )}
      {summary?.newInDirectory !== undefined && (
        <p className="job-report__new" data-testid="report-new-in-directory" data-count={summary.newInDirectory}>
          {summary.newInDirectory > 0 ? (
            <>
              <strong>{newInDirectoryText(summary.newInDirectory)}</strong>{' '}
              <span className="muted">(entries no Roster user is linked to yet)</span> —{' '}
              <button type="button" className="link-button" onClick={() => importNewEntries(job.realmId)}>
                Import them
              </button>
            </>
          ) : (
            <span className="muted">Nothing new in the directory: every entry of the realm is linked to a Roster user.</span>
          )}
        </p>
      )}
      {job.export && <ExportFigures result={job.export} />}
      {(actions || (job.kind !== 'export' && summary)) && (
        <div className="job-report__actions">
          {actions}
          {job.kind !== 'export' && summary && (
            <button
              type="button"
              className="button button--small"
              disabled={listed === 0}
              title={listed === 0 ? 'The report lists no user' : `Export the ${count(listed)} ${listed === 1 ? 'user' : 'users'} this report lists`}
              onClick={() => exportJobReport(job)}
              data-testid="report-export"
            >
              Export…
            </button>
          )}
        </div>
      )}
      {shown.length > 0 && (
        <details className="job-report__changes">
          <summary>
            Changes per user ({count(shown.length)}
            {summary?.changesTruncated ? ', list cut short' : ''})
          </summary>
          <ul>
            {shown.map((change) => (
              <ChangeItem key={`${change.dn}|${change.username}`} change={change} labels={labels} onOpen={openReportedUser} />
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
