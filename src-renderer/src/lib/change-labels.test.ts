import { describe, expect, it } from 'vitest';
import { changeLabel, summarizeChanges } from './change-labels';

const labels = { department: 'Department', email: 'Email' };

describe('changeLabel', () => {
  it('prefers the field label, then a property name, then the key', () => {
    expect(changeLabel('department', labels)).toBe('Department');
    expect(changeLabel('enabled', labels)).toBe('Login');
    expect(changeLabel('costCenter', labels)).toBe('costCenter');
  });

  it('names a field policy change as Settings → Fields names its control, never by key', () => {
    expect(changeLabel('department.owner', labels)).toBe('Owner of Department');
    expect(changeLabel('department.required', labels)).toBe('Required: Department');
    expect(changeLabel('costCenter.owner', labels)).toBe('Owner of costCenter');
    expect(changeLabel('role', labels)).toBe('Role');
    expect(changeLabel('toString', labels)).toBe('toString');
  });
});

describe('summarizeChanges', () => {
  it('spells out a single change and lists several by name', () => {
    expect(summarizeChanges([], labels)).toBe('');
    expect(summarizeChanges([{ field: 'department', before: '', after: 'Ops' }], labels)).toBe('Department: (empty) → Ops');
    expect(
      summarizeChanges(
        [
          { field: 'department', before: 'a', after: 'b' },
          { field: 'email', before: 'c', after: 'd' },
        ],
        labels,
      ),
    ).toBe('Department, Email');
  });

  it('reads login flags as words', () => {
    expect(summarizeChanges([{ field: 'enabled', before: 'true', after: 'false' }], labels)).toBe('Login: Enabled → Disabled');
  });

  it('clips long values', () => {
    const summary = summarizeChanges([{ field: 'email', before: '', after: 'x'.repeat(100) }], labels);
    expect(summary).toBe(`Email: (empty) → ${'x'.repeat(39)}…`);
  });
});
