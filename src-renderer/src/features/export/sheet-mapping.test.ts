import { describe, expect, it } from 'vitest';
import type { SheetColumn } from '#shared/model/sheet';
import { mappingInput, mappingOf, mappingProblems, targetLabel, targetOptions } from './sheet-mapping';

const column = (index: number, header: string, target: SheetColumn['target']): SheetColumn => ({ index, header, target, samples: [] });
const COLUMNS = [column(0, 'Username', 'username'), column(1, 'Department', 'field:department'), column(2, 'Notes', 'ignore')];
const label = (key: string) => ({ department: 'Department', title: 'Job title' })[key];

describe('sheet column mapping', () => {
  it('starts from main’s proposal and sends indexes as strings', () => {
    const mapping = mappingOf(COLUMNS);
    expect(mapping).toEqual({ 0: 'username', 1: 'field:department', 2: 'ignore' });
    expect(mappingInput(mapping)).toEqual({ '0': 'username', '1': 'field:department', '2': 'ignore' });
  });

  it('offers Ignore, the identities to match by, then every field', () => {
    const options = targetOptions([{ key: 'title', label: 'Job title' }]);
    expect(options.ignore.value).toBe('ignore');
    expect(options.match.map((o) => o.value)).toEqual(['id', 'directoryId', 'dn', 'username']);
    expect(options.fields).toEqual([{ value: 'field:title', label: 'Job title' }]);
    expect(targetLabel('field:title', label)).toBe('Job title');
    expect(targetLabel('dn', label)).toBe('Distinguished name (DN)');
  });

  it('is fine with one identity and one field', () => {
    expect(mappingProblems(COLUMNS, mappingOf(COLUMNS), label)).toEqual([]);
  });

  it('asks for an identity, a field, and one column per target', () => {
    expect(mappingProblems(COLUMNS, { 0: 'ignore', 1: 'field:department', 2: 'ignore' }, label)).toEqual([
      'Map a column to Roster id, Directory id, DN or Username: rows are matched to users by it.',
    ]);
    expect(mappingProblems(COLUMNS, { 0: 'username', 1: 'ignore', 2: 'ignore' }, label)).toEqual([
      'Map at least one column to a field: nothing would change otherwise.',
    ]);
    expect(mappingProblems(COLUMNS, { 0: 'username', 1: 'field:department', 2: 'field:department' }, label)).toEqual([
      'Department is mapped from 2 columns (Department, Notes); keep one.',
    ]);
  });
});
