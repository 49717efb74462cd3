import type { AuditAction, AuditFilter } from '#shared/model/audit';

/** The Audit screen's filter inputs as typed: dates are the local `YYYY-MM-DD` of <input type="date">. */
export interface AuditForm {
  user: string;
  action: AuditAction | '';
  from: string;
  to: string;
}

export const EMPTY_AUDIT_FORM: AuditForm = { user: '', action: '', from: '', to: '' };

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A local calendar day's first or last millisecond as an ISO instant (the journal stores UTC times). */
function localDayBound(date: string, end: boolean): string | null {
  const match = DATE.exec(date);
  if (!match) return null;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const at = end ? new Date(y, m - 1, d, 23, 59, 59, 999) : new Date(y, m - 1, d, 0, 0, 0, 0);
  return Number.isNaN(at.getTime()) ? null : at.toISOString();
}

/**
 * Turns the form into the `audit:list` / `audit:csv` filter: an empty input does not filter, and the
 * dates become inclusive bounds of whole local days ("to 3 May" includes everything on 3 May).
 */
export function toAuditFilter(form: AuditForm): { ok: true; filter: AuditFilter } | { ok: false; message: string } {
  const filter: AuditFilter = {};
  const user = form.user.trim();
  if (user) filter.user = user;
  if (form.action) filter.action = form.action;
  if (form.from) {
    const from = localDayBound(form.from, false);
    if (!from) return { ok: false, message: `“${form.from}” is not a date.` };
    filter.from = from;
  }
  if (form.to) {
    const to = localDayBound(form.to, true);
    if (!to) return { ok: false, message: `“${form.to}” is not a date.` };
    filter.to = to;
  }
  if (filter.from && filter.to && filter.from > filter.to) return { ok: false, message: 'The “From” date is after the “To” date.' };
  return { ok: true, filter };
}
