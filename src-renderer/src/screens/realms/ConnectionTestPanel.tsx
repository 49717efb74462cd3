import { useEffect, useRef } from 'react';
import type { ConnectionTestReport } from '../../../../src-shared/model/connection-test';
import { useTestState } from '../../stores/realm-form-hooks';
import { TestStepRow } from './TestStepRow';

function summary(report: ConnectionTestReport): string {
  const parts = [report.server ? `${report.server.vendor}${report.server.vendorVersion ? ` ${report.server.vendorVersion}` : ''}` : '', report.url];
  if (report.userCount !== undefined) parts.push(`${report.userCountCapped ? 'at least ' : ''}${report.userCount.toLocaleString()} users`);
  return parts.filter(Boolean).join(' · ');
}

/** The outcome of "Test connection": every step, and on failure the actionable message as an alert. */
export function ConnectionTestPanel() {
  const { running, report, error } = useTestState();
  const ref = useRef<HTMLElement>(null);
  const state = running ? 'running' : report?.ok ? 'ok' : 'failed';
  // The button sits in the sticky header while the report is at the top of a long form: bring it into view.
  useEffect(() => {
    // Braces matter: newer Chromium returns a promise here, which React would take for a cleanup.
    void ref.current?.scrollIntoView({ block: 'nearest' });
  }, [state, report, error]);
  if (!running && !report && !error) return null;
  const failure = error ?? report?.error ?? null;
  const title = running ? 'Testing the connection…' : report?.ok ? 'Connection works' : report ? 'Connection failed' : 'Could not run the test';
  return (
    <section ref={ref} className={`test-panel test-panel--${state}`} data-testid="connection-test" data-state={state} aria-busy={running}>
      <header className="test-panel__header" aria-live="polite">
        <h3 className="test-panel__title">{title}</h3>
        {report && <span className="test-panel__summary">{summary(report)}</span>}
      </header>
      {failure && !running && (
        <p className="test-panel__alert" role="alert">
          {failure.message}
        </p>
      )}
      {report && report.steps.length > 0 && (
        <ol className="test-steps">
          {report.steps.map((step) => (
            <TestStepRow key={step.step} step={step} />
          ))}
        </ol>
      )}
      {report?.server && !running && report.server.pagedResults === false && (
        <p className="note note--warning">This server does not announce paged results: large imports may stop at its size limit.</p>
      )}
    </section>
  );
}
