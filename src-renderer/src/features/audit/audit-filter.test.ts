import { describe, expect, it } from 'vitest';
import { EMPTY_AUDIT_FORM, toAuditFilter } from './audit-filter';

describe('toAuditFilter', () => {
  it('leaves out empty inputs', () => {
    expect(toAuditFilter(EMPTY_AUDIT_FORM)).toEqual({ ok: true, filter: {} });
    expect(toAuditFilter({ ...EMPTY_AUDIT_FORM, user: '  ' })).toEqual({ ok: true, filter: {} });
  });

  it('trims the user and keeps the action', () => {
    expect(toAuditFilter({ ...EMPTY_AUDIT_FORM, user: ' zangstrom ', action: 'user.update' })).toEqual({
      ok: true,
      filter: { user: 'zangstrom', action: 'user.update' },
    });
  });

  it('makes the dates inclusive whole local days', () => {
    const result = toAuditFilter({ ...EMPTY_AUDIT_FORM, from: '2024-05-03', to: '2024-05-03' });
    if (!result.ok) throw new Error(result.message);
    expect(result.filter.from).toBe(new Date(2024, 4, 3, 0, 0, 0, 0).toISOString());
    expect(result.filter.to).toBe(new Date(2024, 4, 3, 23, 59, 59, 999).toISOString());
  });

  it('refuses a range that ends before it starts, and text that is no date', () => {
    expect(toAuditFilter({ ...EMPTY_AUDIT_FORM, from: '2024-05-04', to: '2024-05-03' })).toEqual({
      ok: false,
      message: 'The “From” date is after the “To” date.',
    });
    expect(toAuditFilter({ ...EMPTY_AUDIT_FORM, from: 'yesterday' }).ok).toBe(false);
  });
});
