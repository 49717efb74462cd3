import type { FieldCompleteness } from '#shared/model/report';
import { barLabel, chartOrder, useReportsActions } from './reports-store';

const percent = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 100) : 0);

/** One field's bar: the share of users missing it; a button that opens those users. */
function Bar({ field, onOpen }: { field: FieldCompleteness; onOpen(): void }) {
  const share = percent(field.missing, field.total);
  // A bar with a few users missing still shows a sliver, so "some" never reads as "none".
  const width = field.missing > 0 ? Math.max(share, 1) : 0;
  return (
    <li>
      <button
        type="button"
        className={field.required ? 'completeness__bar completeness__bar--required' : 'completeness__bar'}
        aria-label={barLabel(field)}
        title="Show these users"
        data-testid="completeness-bar"
        data-field={field.key}
        data-missing={field.missing}
        onClick={onOpen}
      >
        <span className="completeness__label">
          {field.label}
          {field.required && <span className="badge">required</span>}
        </span>
        <span className="completeness__track" aria-hidden="true">
          <span className="completeness__fill" style={{ width: `${width}%` }} />
        </span>
        <span className="completeness__count" aria-hidden="true">
          {field.missing.toLocaleString('en-US')} <span className="muted">({share}%)</span>
        </span>
      </button>
    </li>
  );
}

/** Users missing each field, required fields first; each bar opens the users missing it. */
export function CompletenessChart({ fields, users }: { fields: FieldCompleteness[]; users: number }) {
  const { showUsers } = useReportsActions();
  return (
    <section className="reports-section" aria-labelledby="completeness-title">
      <div className="reports-section__head">
        <h2 id="completeness-title">Completeness</h2>
        <p className="muted">Users missing each field, out of {users.toLocaleString('en-US')}. Required fields first; choose a bar to see who.</p>
      </div>
      {fields.length === 0 ? (
        <p className="muted">No fields to report on.</p>
      ) : (
        <ul className="completeness" data-testid="completeness-chart" aria-label="Users missing each field">
          {chartOrder(fields).map((field) => (
            <Bar key={field.key} field={field} onOpen={() => showUsers(`Missing ${field.label}`, field.query)} />
          ))}
        </ul>
      )}
    </section>
  );
}
