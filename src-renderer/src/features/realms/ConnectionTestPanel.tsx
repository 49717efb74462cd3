import { useEffect, useRef } from 'react';
import { coverageWarnings, type ConnectionTestReport } from '#shared/model/connection-test';
import { useCoverageStale, useDraftValue, useTestState } from './realm-form-hooks';
import { MappingCoverageTable } from './MappingCoverageTable';
import { isFileRealm } from './realm-draft';
import { TestStepRow } from './TestStepRow';

function summary(report: ConnectionTestReport): string {
  const parts = [report.server ? `${report.server.vendor}${report.server.vendorVersion ? ` ${report.server.vendorVersion}` : ''}` : '', report.url];
  if (report.userCount !== undefined) parts.push(`${report.userCountCapped ? 'at least ' : ''}${report.userCount.toLocaleString()} users`);
  return parts.filter(Boolean).join(' · ');
}

function titleOf(file: boolean, running: boolean, report: ConnectionTestReport | null): string {
  if (running) return file ? 'Reading the file…' : 'Testing the connection…';
  if (!report) return 'Could not run the test';
  if (!report.ok) return file ? 'Could not read the file' : 'Connection failed';
  const warnings = report.coverage ? coverageWarnings(report.coverage).length : 0;
  const works = file ? 'File read' : 'Connection works';
  const title = warnings ? `${works}, with ${warnings} mapping warning${warnings === 1 ? '' : 's'}` : works;
  // The TLS step warns only when a bind password crossed the network in clear.
  return report.steps.some((s) => s.step === 'tls' && s.status === 'warning') ? `${title}, without TLS` : title;
}

/** The outcome of "Test connection" (an LDIF realm: "Check file"): every step, and on failure the actionable message as an alert. */
export function ConnectionTestPanel() {
  const { running, report, error } = useTestState();
  const stale = useCoverageStale();
  const file = useDraftValue(isFileRealm);
  const ref = useRef<HTMLElement>(null);
  const warned = report?.steps.some((s) => s.status === 'warning') ?? false;
  const state = running ? 'running' : report?.ok ? (warned ? 'warning' : 'ok') : 'failed';
  // The button sits in the sticky header while the report is at the top of a long form: bring it into view.
  useEffect(() => {
    // Braces matter: newer Chromium returns a promise here, which React would take for a cleanup.
    void ref.current?.scrollIntoView({ block: 'nearest' });
  }, [state, report, error]);
  if (!running && !report && !error) return null;
  const failure = error ?? report?.error ?? null;
  // A failed step already says it (and the field it is about points there): the message appears once.
  const saidByStep = failure !== null && (report?.steps.some((s) => s.status === 'failed' && s.detail === failure.message) ?? false);
  return (
    <section ref={ref} className={`test-panel test-panel--${state}`} data-testid="connection-test" data-state={state} aria-busy={running}>
      <header className="test-panel__header" aria-live="polite">
        <h3 className="test-panel__title">{titleOf(file, running, report)}</h3>
        {report && <span className="test-panel__summary">{summary(report)}</span>}
      </header>
      {failure && !running && !saidByStep && (
        <p className="test-panel__alert" role="alert">
          {failure.message}
        </p>
      )}
      {report && report.steps.length > 0 && (
        <ol className="test-steps">
          {report.steps.map((step) => (
            <TestStepRow key={step.step} step={step}>
              {step.step === 'coverage' && report.coverage && <MappingCoverageTable coverage={report.coverage} />}
            </TestStepRow>
          ))}
        </ol>
      )}
      {stale && !running && (
        <p className="note note--warning" data-testid="coverage-stale">
          The attribute mapping changed since this test: {file ? 'check the file' : 'test the connection'} again to see what it gives.
        </p>
      )}
      {report?.server && !running && report.server.pagedResults === false && (
        <p className="note note--warning">This server does not announce paged results: large imports may stop at its size limit.</p>
      )}
    </section>
  );
}
