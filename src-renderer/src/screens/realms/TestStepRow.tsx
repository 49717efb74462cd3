import type { ConnectionStepResult } from '../../../../src-shared/model/connection-test';

const ICONS: Record<ConnectionStepResult['status'], string> = { ok: '✓', failed: '✗', skipped: '–' };
const SPOKEN: Record<ConnectionStepResult['status'], string> = { ok: 'passed', failed: 'failed', skipped: 'skipped' };

/** One stage of a connection test: its outcome, what it did and how long it took. */
export function TestStepRow({ step }: { step: ConnectionStepResult }) {
  return (
    <li className={`test-step test-step--${step.status}`} data-testid={`test-step-${step.step}`} data-status={step.status}>
      <span className="test-step__icon" aria-hidden="true">
        {ICONS[step.status]}
      </span>
      <span className="test-step__label">
        {step.label}
        <span className="visually-hidden"> {SPOKEN[step.status]}</span>
      </span>
      <span className="test-step__detail">{step.detail}</span>
      <span className="test-step__ms">{step.status === 'skipped' ? '' : `${step.ms} ms`}</span>
    </li>
  );
}
