import type { ReactNode } from 'react';
import type { ConnectionStepResult } from '#shared/model/connection-test';
import { testStepDetailId } from './realm-form-store';

const ICONS: Record<ConnectionStepResult['status'], string> = { ok: '✓', warning: '⚠', failed: '✗', skipped: '–' };
const SPOKEN: Record<ConnectionStepResult['status'], string> = { ok: 'passed', warning: 'passed with a warning', failed: 'failed', skipped: 'skipped' };

/** One stage of a connection test: its outcome, what it did and how long it took; `children` go under it, full width. */
export function TestStepRow({ step, children }: { step: ConnectionStepResult; children?: ReactNode }) {
  return (
    <li className={`test-step test-step--${step.status}`} data-testid={`test-step-${step.step}`} data-status={step.status}>
      <span className="test-step__icon" aria-hidden="true">
        {ICONS[step.status]}
      </span>
      <span className="test-step__label">
        {step.label}
        <span className="visually-hidden"> {SPOKEN[step.status]}</span>
      </span>
      {/* A failure is announced here, once; the field it is about points at it (aria-describedby). */}
      <span className="test-step__detail" id={testStepDetailId(step.step)} role={step.status === 'failed' ? 'alert' : undefined}>
        {step.detail}
      </span>
      <span className="test-step__ms">{step.status === 'skipped' ? '' : `${step.ms} ms`}</span>
      {children && <div className="test-step__more">{children}</div>}
    </li>
  );
}
