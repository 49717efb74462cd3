import { describe, expect, it } from 'vitest';
import { fieldState, userDetail } from './detail-fixture';
import { changedInput, draftErrors, isDirty, isMissing, pruneEdits } from './user-draft';

const department = fieldState('department', { label: 'Department', value: 'Sales', required: true });
const email = fieldState('email', { label: 'Email', type: 'email', value: 'a@example.org' });
const locked = fieldState('displayName', { label: 'Full name', value: 'Alice', readOnly: true, owner: 'directory', source: 'directory' });

describe('changedInput', () => {
  it('is null when nothing was typed or everything typed equals the stored values', () => {
    const detail = userDetail([department, email]);
    expect(changedInput(detail, { fields: {} })).toBeNull();
    expect(changedInput(detail, { username: 'alice', fields: { department: 'Sales' } })).toBeNull();
    expect(isDirty(detail, { fields: { department: 'Sales' } })).toBe(false);
  });

  it('carries only the changed fields, a cleared field as an empty string, and a trimmed username', () => {
    const detail = userDetail([department, email]);
    expect(changedInput(detail, { username: ' alice2 ', fields: { department: 'Sales', email: '' } })).toEqual({
      id: 'u1',
      username: 'alice2',
      fields: { email: '' },
    });
  });

  it('never sends directory-owned fields or an external user’s username', () => {
    const detail = userDetail([department, locked], { kind: 'external' });
    expect(changedInput(detail, { username: 'other', fields: { displayName: 'Mallory' } })).toBeNull();
    expect(changedInput(detail, { fields: { displayName: 'Mallory', department: 'Ops' } })).toEqual({ id: 'u1', fields: { department: 'Ops' } });
  });
});

describe('pruneEdits', () => {
  it('keeps unsaved typing across a reload but drops what the reload made equal or read-only', () => {
    const before = userDetail([department, email]);
    const edits = { fields: { department: 'Ops', email: 'b@example.org' } };
    const after = userDetail([
      { ...department, readOnly: true },
      { ...email, value: 'b@example.org' },
    ]);
    expect(pruneEdits(before, edits)).toEqual(edits);
    expect(pruneEdits(after, edits)).toEqual({ fields: {} });
  });

  it('drops edits to fields that no longer exist', () => {
    expect(pruneEdits(userDetail([department]), { fields: { costCenter: '42' } })).toEqual({ fields: {} });
  });
});

describe('draftErrors', () => {
  it('checks typed values by field type and the username’s characters', () => {
    const detail = userDetail([department, email]);
    const errors = draftErrors(detail, { username: 'al ice', fields: { email: 'nope', department: 'Ops' } });
    expect(errors.email).toBe('Email "nope" is not an email address (name@example.org).');
    expect(errors.username).toMatch(/may contain only letters/);
    expect(errors.department).toBeUndefined();
  });

  it('says an emptied username is required', () => {
    expect(draftErrors(userDetail([]), { username: '  ', fields: {} }).username).toBe('A username is required.');
  });
});

describe('isMissing', () => {
  it('follows what the form shows, not what is stored', () => {
    expect(isMissing(department, { fields: {} })).toBe(false);
    expect(isMissing(department, { fields: { department: ' ' } })).toBe(true);
    expect(isMissing({ ...department, value: '' }, { fields: { department: 'Ops' } })).toBe(false);
  });
});
