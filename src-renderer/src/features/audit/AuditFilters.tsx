import { AUDIT_ACTION_LABELS, AUDIT_ACTIONS, type AuditAction } from '#shared/model/audit';
import { useAuditActions, useAuditForm } from './audit-store';

/** The journal filters: who it was about, what was done, and between which days. Changes apply as they are made. */
export function AuditFilters() {
  const { form } = useAuditForm();
  const { setForm } = useAuditActions();
  return (
    <div className="audit-filters" role="search" aria-label="Filter the audit journal">
      <div className="audit-filters__item">
        <label htmlFor="audit-user">User</label>
        <input
          id="audit-user"
          className="input"
          type="search"
          value={form.user}
          placeholder="Exact username"
          autoComplete="off"
          spellCheck={false}
          onChange={(event) => setForm({ user: event.target.value })}
        />
      </div>
      <div className="audit-filters__item">
        <label htmlFor="audit-action">Action</label>
        <select id="audit-action" className="select" value={form.action} onChange={(event) => setForm({ action: event.target.value as AuditAction | '' })}>
          <option value="">All actions</option>
          {AUDIT_ACTIONS.map((action) => (
            <option key={action} value={action}>
              {AUDIT_ACTION_LABELS[action]}
            </option>
          ))}
        </select>
      </div>
      <div className="audit-filters__item">
        <label htmlFor="audit-from">From</label>
        <input
          id="audit-from"
          className="input"
          type="date"
          value={form.from}
          max={form.to || undefined}
          onChange={(event) => setForm({ from: event.target.value })}
        />
      </div>
      <div className="audit-filters__item">
        <label htmlFor="audit-to">To</label>
        <input
          id="audit-to"
          className="input"
          type="date"
          value={form.to}
          min={form.from || undefined}
          onChange={(event) => setForm({ to: event.target.value })}
        />
      </div>
      {(form.user || form.action || form.from || form.to) && (
        <button type="button" className="button button--quiet audit-filters__clear" onClick={() => setForm({ user: '', action: '', from: '', to: '' })}>
          Clear filters
        </button>
      )}
    </div>
  );
}
