import { describe, expect, it } from 'vitest';
import { describeQuery, exportScopeFor, isFiltered, queryPhrases, type ScopeContext } from './export-scope';
import type { ExportPlan, ExportResult } from '#shared/model/export';
import { emptyReason, filesNote, partFileNames, partLine, planSentence, resultSentence, savedSentence } from './plan-text';

const names = { realm: (id: string) => (id === 'r1' ? 'Lab directory' : undefined), field: (key: string) => (key === 'department' ? 'Department' : undefined) };

describe('describing a list query', () => {
  it('says each filter in the order of the sidebar', () => {
    expect(queryPhrases({ search: ' smith ', kind: 'external', realmId: 'r1', enabled: false, incomplete: true }, names)).toEqual([
      'matching “smith”',
      'external users',
      'from Lab directory',
      'login disabled',
      'incomplete',
    ]);
    expect(describeQuery({ missingField: 'department', staleDays: 1, directoryEnabled: false, notFound: true, unexported: true }, names)).toBe(
      'Missing Department, completions not exported, not synced for 1 day, disabled in the directory, not found in their realm',
    );
    expect(describeQuery({ realmId: 'gone', missingField: 'costCenter', staleDays: 30 }, names)).toBe(
      'From a removed realm, missing costCenter, not synced for 30 days',
    );
  });

  it('says when there is no filter at all', () => {
    expect(isFiltered({ search: '', sort: { column: 'username', direction: 'asc' } }, names)).toBe(false);
    expect(describeQuery({}, names)).toBe('No filter: every user');
    expect(isFiltered({ conflicts: true }, names)).toBe(true);
  });
});

describe('the scope sent to main', () => {
  const context: ScopeContext = { listQuery: { kind: 'internal' }, selection: { ids: ['u1', 'u2'] }, report: null, names };

  it('maps each choice to the contract’s scope, with a label for the description sheet', () => {
    expect(exportScopeFor('all', context)).toEqual({ kind: 'all' });
    expect(exportScopeFor('filter', context)).toEqual({ kind: 'query', query: { kind: 'internal' }, label: 'Users list: Internal users' });
    expect(exportScopeFor('selection', context)).toEqual({ kind: 'ids', ids: ['u1', 'u2'] });
    expect(exportScopeFor('selection', { ...context, selection: { query: { search: 'ann', sort: { column: 'username', direction: 'asc' } } } })).toEqual({
      kind: 'query',
      query: { search: 'ann', sort: { column: 'username', direction: 'asc' } },
      label: 'Selection: every user in the filter (Matching “ann”)',
    });
    expect(exportScopeFor('report', { ...context, report: { label: 'Not synced for 30 days', query: { staleDays: 30 } } })).toEqual({
      kind: 'query',
      query: { staleDays: 30 },
      label: 'Report: Not synced for 30 days',
    });
  });

  it('has no scope for a selection or report that is not there, and caps long labels', () => {
    expect(exportScopeFor('selection', { ...context, selection: null })).toBeNull();
    expect(exportScopeFor('report', context)).toBeNull();
    const long = exportScopeFor('report', { ...context, report: { label: 'x'.repeat(300), query: {} } });
    expect(long?.kind === 'query' && long.label?.length).toBe(200);
  });
});

describe('plan and result sentences', () => {
  it('counts users and every share skipped, with its reason', () => {
    expect(
      planSentence({
        users: 42,
        skipped: [
          { reason: 'LDIF needs a DN', count: 3 },
          { reason: 'no changes', count: 0 },
        ],
        files: ['/a.ldif'],
        parts: [{ files: ['/a.ldif'], users: 42 }],
        existing: [],
      }),
    ).toBe('42 users will be written; 3 left out (LDIF needs a DN)');
    expect(planSentence({ users: 1, skipped: [], files: [], parts: [], existing: [] })).toBe('1 user will be written');
    expect(planSentence({ users: 0, skipped: [], files: [], parts: [], existing: [] })).toBe('No user will be written');
    expect(emptyReason({ users: 0, skipped: [], files: [], parts: [], existing: [] }, 'changes')).toBe(
      'No user in this scope has a completion or change since the last sync.',
    );
    expect(emptyReason({ users: 2, skipped: [], files: [], parts: [], existing: [] }, 'changes')).toBeNull();
  });

  it('says what an export wrote, and lists each saved file with the realm it is for', () => {
    const result: ExportResult = {
      format: 'ps1',
      content: 'changes',
      files: ['/a.ps1', '/a.csv'],
      parts: [{ realm: { id: 'r1', name: 'Corp AD' }, files: ['/a.ps1', '/a.csv'], users: 2, records: 2 }],
      users: 2,
      records: 2,
      skipped: [],
      columns: [],
      bytes: 10,
      scope: 'All users',
    };
    expect(resultSentence(result)).toBe('Wrote 2 users to 2 files');
    expect(savedSentence(result)).toBe('Saved 2 files');
    expect(result.parts.map(partFileNames)).toEqual(['a.ps1 with a.csv']);
    const ldif = { ...result, format: 'ldif' as const, files: ['/a.ldif'], parts: [{ files: ['/a.ldif'], users: 1, records: 3 }], users: 1, records: 3 };
    expect(resultSentence(ldif)).toBe('Wrote 1 user (3 records) to 1 file');
    expect(savedSentence(ldif)).toBe('Saved 1 file');

    const perRealm: ExportResult = {
      ...result,
      format: 'ldif',
      files: ['/out/c-branch.ldif', '/out/c-head-office.ldif'],
      parts: [
        { realm: { id: 'b', name: 'Branch' }, files: ['/out/c-branch.ldif'], users: 1, records: 1 },
        { realm: { id: 'h', name: 'Head office' }, files: ['/out/c-head-office.ldif'], users: 3, records: 3 },
      ],
      users: 4,
      records: 4,
    };
    expect(resultSentence(perRealm)).toBe('Wrote 4 users to 2 files for 2 realms');
    expect(savedSentence(perRealm)).toBe('Saved 2 files');
    expect(perRealm.parts.map(partLine)).toEqual(['c-branch.ldif (Branch: 1 user)', 'c-head-office.ldif (Head office: 3 users)']);
  });

  it('says in the plan which files go where: one per realm, or a script with its CSV', () => {
    const plan: ExportPlan = { users: 3, skipped: [], files: ['/o/c.ldif'], parts: [{ files: ['/o/c.ldif'], users: 3 }], existing: [] };
    expect(filesNote(plan)).toBeNull();
    expect(filesNote({ ...plan, files: ['/o/a.ps1', '/o/a.csv'], parts: [{ files: ['/o/a.ps1', '/o/a.csv'], users: 3 }] })).toBe(
      'Writes a.ps1 and a.csv side by side.',
    );
    const split: ExportPlan = {
      ...plan,
      files: ['/o/a-b.ps1', '/o/a-b.csv', '/o/a-h.ps1', '/o/a-h.csv'],
      parts: [
        { realm: { id: 'b', name: 'Branch' }, files: ['/o/a-b.ps1', '/o/a-b.csv'], users: 1 },
        { realm: { id: 'h', name: 'Head office' }, files: ['/o/a-h.ps1', '/o/a-h.csv'], users: 2 },
      ],
    };
    expect(filesNote(split)).toBe(
      'One file per realm, each for its own directory: a-b.ps1 with a-b.csv (Branch: 1 user), a-h.ps1 with a-h.csv (Head office: 2 users).',
    );
  });
});
