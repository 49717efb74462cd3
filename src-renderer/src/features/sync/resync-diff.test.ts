import { describe, expect, it } from 'vitest';
import type { FieldDiff } from '#shared/model/sync';
import type { DirectoryCandidate } from '#shared/model/user';
import { fieldState, userDetail } from '../users/detail/detail-fixture';
import { bestCandidate, defaultChoices, groupDiffRows, queuedConflicts, resultValue } from './resync-diff';

const row = (field: string, over: Partial<FieldDiff>): FieldDiff => ({
  field,
  label: field,
  owner: 'local',
  base: 'b',
  local: 'b',
  directory: 'b',
  outcome: 'unchanged',
  choice: 'directory',
  ...over,
});

describe('groupDiffRows', () => {
  it('puts conflicts first, then directory changes, keeps catalogue order within each, and sets unchanged rows apart', () => {
    const fields = [
      row('displayName', {}),
      row('title', { directory: 'CTO', outcome: 'take-directory' }),
      row('department', { local: 'Ops', outcome: 'keep-local', choice: 'local' }),
      row('email', { local: 'x', directory: 'y', outcome: 'conflict', choice: 'local' }),
      row('phone', { directory: '1', outcome: 'take-directory' }),
      row('office', { local: 'B', directory: 'B', outcome: 'converged' }),
      row('mobile', {}),
    ];
    const { changed, unchanged } = groupDiffRows(fields);
    expect(changed.map((r) => r.field)).toEqual(['email', 'title', 'phone', 'office', 'department']);
    expect(unchanged.map((r) => r.field)).toEqual(['displayName', 'mobile']);
  });
});

describe('choices', () => {
  const conflictLocal = row('department', { local: 'Ops', directory: 'Sales', outcome: 'conflict', choice: 'local' });
  const conflictDirectory = row('title', { local: 'Boss', directory: 'CTO', outcome: 'conflict', choice: 'directory' });
  const taken = row('phone', { directory: '1', outcome: 'take-directory' });

  it('default to each conflict’s FieldDiff.choice (which follows the lock) and name only conflicts', () => {
    expect(defaultChoices({ fields: [conflictLocal, conflictDirectory, taken] })).toEqual({ department: 'local', title: 'directory' });
  });

  it('decide the value a conflict ends with; other rows follow their own choice unless the admin overrides it', () => {
    expect(resultValue(conflictLocal, {})).toBe('Ops');
    expect(resultValue(conflictLocal, { department: 'directory' })).toBe('Sales');
    expect(resultValue(taken, {})).toBe('1');
    expect(resultValue(taken, { phone: 'local' })).toBe('b');
    expect(resultValue(row('x', { local: 'L', directory: 'D', outcome: 'keep-local', choice: 'local' }), {})).toBe('L');
    expect(resultValue(row('x', { local: 'L', directory: 'D', outcome: 'keep-local', choice: 'local' }), { x: 'directory' })).toBe('D');
    // Rows with one value have nothing to choose: a stray choice changes nothing.
    expect(resultValue(row('y', { local: 'S', directory: 'S', outcome: 'converged', choice: 'directory' }), { y: 'local' })).toBe('S');
  });
});

describe('bestCandidate', () => {
  const candidate = (dn: string, match?: DirectoryCandidate['match']): DirectoryCandidate => ({
    dn,
    externalId: dn,
    username: 'a',
    email: '',
    displayName: '',
    enabled: true,
    ...(match ? { match } : {}),
  });

  it('prefers the same id, then the same DN, then the same username; none for no candidates', () => {
    expect(bestCandidate([candidate('u', 'username'), candidate('d', 'dn'), candidate('i', 'id')])).toBe('i');
    expect(bestCandidate([candidate('u', 'username'), candidate('d', 'dn')])).toBe('d');
    expect(bestCandidate([candidate('a'), candidate('b')])).toBe('a');
    expect(bestCandidate([])).toBeNull();
  });
});

describe('queuedConflicts', () => {
  it('follows the order of the fields, labels them and defaults to the owner’s value', () => {
    const detail = userDetail([fieldState('title', { label: 'Job title', owner: 'directory' }), fieldState('department', { label: 'Department' })], {
      conflicts: [
        { field: 'department', base: 'A', local: 'B', directory: 'C', detectedAt: '2024-01-01T00:00:00.000Z' },
        { field: 'gone', base: '', local: 'x', directory: 'y', detectedAt: '2024-01-01T00:00:00.000Z' },
        { field: 'title', base: 'T', local: 'L', directory: 'D', detectedAt: '2024-01-01T00:00:00.000Z' },
      ],
    });
    expect(queuedConflicts(detail)).toEqual([
      { field: 'title', label: 'Job title', owner: 'directory', base: 'T', local: 'L', directory: 'D', choice: 'directory' },
      { field: 'department', label: 'Department', owner: 'local', base: 'A', local: 'B', directory: 'C', choice: 'local' },
      { field: 'gone', label: 'gone', owner: 'local', base: '', local: 'x', directory: 'y', choice: 'local' },
    ]);
  });

  it('is empty without conflicts', () => {
    expect(queuedConflicts(userDetail([]))).toEqual([]);
  });
});
