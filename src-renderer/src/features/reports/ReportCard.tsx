import type { ReactNode } from 'react';
import type { ReportSummary } from '#shared/model/report';
import { reportLabel, useReportsActions } from './reports-store';

/** One data-quality report: how many users it counts, what it means, and the ways to act on them. */
export function ReportCard({ report, children }: { report: ReportSummary; children?: ReactNode }) {
  const { showUsers, exportUsers } = useReportsActions();
  const titleId = `report-${report.id}-title`;
  const label = reportLabel(report);
  return (
    <article
      className={report.count > 0 ? 'report-card report-card--some' : 'report-card'}
      aria-labelledby={titleId}
      data-testid="report-card"
      data-report={report.id}
    >
      <div className="report-card__top">
        <h3 id={titleId}>{label}</h3>
        <span className="report-card__count" data-testid="report-count" data-count={report.count}>
          {report.count.toLocaleString('en-US')}
          <span className="visually-hidden"> {report.count === 1 ? 'user' : 'users'}</span>
        </span>
      </div>
      <p className="report-card__description">{report.description}</p>
      {children}
      <div className="report-card__actions">
        <button type="button" className="button button--small" onClick={() => showUsers(label, report.query)} aria-describedby={titleId}>
          Show users
        </button>
        <button type="button" className="button button--small" onClick={() => exportUsers(label, report.query)} aria-describedby={titleId}>
          Export…
        </button>
      </div>
    </article>
  );
}
