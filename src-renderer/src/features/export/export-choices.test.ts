import { describe, expect, it } from 'vitest';
import { realmColumnForced, writtenColumns, type ExportColumn, type ExportPreset } from '#shared/model/export';
import {
  defaultFileName,
  fileNameOf,
  folderOf,
  isoDay,
  joinPath,
  matchingPreset,
  moveColumn,
  normaliseColumns,
  toggleColumn,
  withExtension,
} from './export-choices';

const column = (key: string, group: ExportColumn['group']): ExportColumn => ({ key, label: key, group, type: 'text', description: '' });
const CATALOGUE = [
  column('directoryId', 'identity'),
  column('dn', 'identity'),
  column('username', 'identity'),
  column('kind', 'account'),
  column('department', 'field'),
  column('title', 'field'),
];
const preset = (id: ExportPreset['id'], columns: string[], format: ExportPreset['format'], content: ExportPreset['content']): ExportPreset => ({
  id,
  label: id,
  description: '',
  columns,
  format,
  content,
});

describe('columns', () => {
  it('drops unknown and repeated keys and puts missing identity columns in front', () => {
    expect(normaliseColumns(['title', 'gone', 'dn', 'title'], CATALOGUE)).toEqual(['directoryId', 'username', 'title', 'dn']);
  });

  it('adds a column at the end and takes one out, but never an identity column', () => {
    const start = ['directoryId', 'dn', 'username', 'title'];
    expect(toggleColumn(start, 'department', true)).toEqual([...start, 'department']);
    expect(toggleColumn(start, 'title', true)).toEqual(start);
    expect(toggleColumn(start, 'title', false)).toEqual(['directoryId', 'dn', 'username']);
    expect(toggleColumn(start, 'dn', false)).toEqual(start);
  });

  it('moves a column one place and stops at either end', () => {
    const start = ['a', 'b', 'c'];
    expect(moveColumn(start, 'b', -1)).toEqual(['b', 'a', 'c']);
    expect(moveColumn(start, 'b', 1)).toEqual(['a', 'c', 'b']);
    expect(moveColumn(start, 'a', -1)).toEqual(start);
    expect(moveColumn(start, 'c', 1)).toEqual(start);
    expect(moveColumn(start, 'x', 1)).toEqual(start);
  });

  it('knows the preset the choices are, in order, and none once they differ', () => {
    const presets = [
      preset('openldap-owners', ['directoryId', 'dn', 'username', 'department'], 'ldif', 'changes'),
      preset(
        'everything',
        CATALOGUE.map((c) => c.key),
        'xlsx',
        'snapshot',
      ),
    ];
    const ldif = { format: 'ldif' as const, content: 'changes' as const, columns: ['directoryId', 'dn', 'username', 'department'] };
    expect(matchingPreset(presets, ldif, CATALOGUE)).toBe('openldap-owners');
    expect(matchingPreset(presets, { ...ldif, format: 'csv' }, CATALOGUE)).toBeUndefined();
    expect(matchingPreset(presets, { ...ldif, columns: ['dn', 'directoryId', 'username', 'department'] }, CATALOGUE)).toBeUndefined();
    // A preset leaving identity columns out still matches once they are put in front.
    const short = [preset('ad-owners', ['department'], 'ps1', 'changes')];
    expect(matchingPreset(short, { format: 'ps1', content: 'changes', columns: ['directoryId', 'dn', 'username', 'department'] }, CATALOGUE)).toBe('ad-owners');
  });
});

describe('file names and paths', () => {
  const day = new Date(2026, 0, 5, 23, 30);

  it('names an export after its content and the local day', () => {
    expect(isoDay(day)).toBe('2026-01-05');
    expect(defaultFileName('changes', 'xlsx', day)).toBe('roster-changes-2026-01-05.xlsx');
    expect(defaultFileName('snapshot', 'ps1', day)).toBe('roster-snapshot-2026-01-05.ps1');
  });

  it('joins and splits with the folder’s own separator', () => {
    expect(joinPath('/home/ann/Downloads', 'a.csv')).toBe('/home/ann/Downloads/a.csv');
    expect(joinPath('/home/ann/Downloads/', 'a.csv')).toBe('/home/ann/Downloads/a.csv');
    expect(joinPath('C:\\Users\\Ann\\Downloads', 'a.csv')).toBe('C:\\Users\\Ann\\Downloads\\a.csv');
    expect(joinPath('\\\\server\\share', 'a.csv')).toBe('\\\\server\\share\\a.csv');
    expect(joinPath('', 'a.csv')).toBe('a.csv');
    expect(folderOf('/home/ann/a.csv')).toBe('/home/ann');
    expect(folderOf('/a.csv')).toBe('/');
    expect(folderOf('C:\\a.csv')).toBe('C:\\');
    expect(folderOf('C:\\Users\\a.csv')).toBe('C:\\Users');
    expect(folderOf('a.csv')).toBe('');
    expect(fileNameOf('C:\\Users\\a.csv')).toBe('a.csv');
    expect(fileNameOf('/tmp/x/roster.xlsx')).toBe('roster.xlsx');
  });

  it('swaps another format’s extension and leaves a name of one’s own alone', () => {
    expect(withExtension('/tmp/out.xlsx', 'csv')).toBe('/tmp/out.csv');
    expect(withExtension('/tmp/out.CSV', 'ldif')).toBe('/tmp/out.ldif');
    expect(withExtension('/tmp/out.csv', 'csv')).toBe('/tmp/out.csv');
    expect(withExtension('/tmp/out.txt', 'csv')).toBe('/tmp/out.txt');
    expect(withExtension('  ', 'csv')).toBe('');
  });
});

describe('the columns a file is written with (what the Order panel lists)', () => {
  it('puts identity columns left out in front, and a sheet’s change set says each row’s realm after them', () => {
    const chosen = ['displayName', 'department'];
    expect(writtenColumns(chosen, 'csv', 'snapshot')).toEqual(['directoryId', 'dn', 'username', 'displayName', 'department']);
    expect(writtenColumns(chosen, 'csv', 'changes')).toEqual(['directoryId', 'dn', 'username', 'realm', 'displayName', 'department']);
    expect(writtenColumns(chosen, 'xlsx', 'changes')).toEqual(['directoryId', 'dn', 'username', 'realm', 'displayName', 'department']);
    expect(writtenColumns(chosen, 'ldif', 'changes')).toEqual(['directoryId', 'dn', 'username', 'displayName', 'department']);
    // A realm column chosen stays where it was put; identity moved down is followed by the realm.
    expect(writtenColumns(['realm', 'directoryId', 'dn', 'username'], 'csv', 'changes')).toEqual(['realm', 'directoryId', 'dn', 'username']);
    expect(writtenColumns(['displayName', 'directoryId', 'dn', 'username'], 'csv', 'changes')).toEqual(['displayName', 'directoryId', 'dn', 'username', 'realm']);
    expect(realmColumnForced('csv', 'changes')).toBe(true);
    expect(realmColumnForced('ps1', 'changes')).toBe(false);
  });
});
