import { useEffect } from 'react';
import { fullTime, timeAgo } from '../../lib/format-time';
import { useFieldsActions } from '../../stores/fields-store';
import { useReportsActions, useReportsOverview } from './reports-store';
import { CompletenessByRealm } from './CompletenessByRealm';
import { CompletenessChart } from './CompletenessChart';
import { ReportCard } from './ReportCard';
import { StaleDaysInput } from './StaleDaysInput';
import './reports.css';

/** Reports: completeness per field, then each data-quality report with its users one click away. */
export function ReportsScreen() {
  const { overview, loaded, loading, error } = useReportsOverview();
  const { load, watch } = useReportsActions();
  const { load: loadFields } = useFieldsActions();
  useEffect(() => {
    void load();
    // The Users list names a completeness bar's field by its label.
    void loadFields();
  }, [load, loadFields]);
  useEffect(() => watch(), [watch]);
  return (
    <section className="reports-screen" aria-labelledby="reports-title">
      <header className="pane-header">
        <h1 id="reports-title">Reports</h1>
        <div className="pane-header__actions">
          {overview && (
            <span className="muted" title={fullTime(overview.at)}>
              {overview.users.toLocaleString('en-US')} {overview.users === 1 ? 'user' : 'users'}, counted {timeAgo(overview.at)}
            </span>
          )}
          {loading && <span className="spinner" aria-label="Counting" />}
          <button type="button" className="button" onClick={() => void load()} disabled={loading}>
            Refresh
          </button>
        </div>
      </header>
      <div className="reports-screen__body">
        {error && (
          <p className="banner banner--error" role="alert">
            Could not count the reports: {error.message}{' '}
            <button type="button" className="link-button" onClick={() => void load()}>
              Retry
            </button>
          </p>
        )}
        {!loaded && (
          <p className="muted" role="status">
            Counting…
          </p>
        )}
        {overview && (
          <>
            <CompletenessChart fields={overview.completeness} users={overview.users} />
            {overview.completenessByRealm.length > 1 && <CompletenessByRealm fields={overview.completeness} realms={overview.completenessByRealm} />}
            <section className="reports-section" aria-labelledby="reports-list-title">
              <div className="reports-section__head">
                <h2 id="reports-list-title">Data quality</h2>
                <p className="muted">Each report opens the users it counts in the Users list, or exports them.</p>
              </div>
              <div className="report-cards">
                {overview.reports.map((report) => (
                  <ReportCard key={report.id} report={report}>
                    {report.id === 'stale' && <StaleDaysInput />}
                  </ReportCard>
                ))}
              </div>
            </section>
          </>
        )}
      </div>
    </section>
  );
}
