import { describe, expect, it } from 'vitest';
import { MergedRanges, mergedArea } from './xlsx-merges';

/** Scans `parts` as the chunks of one workbook part each, and gives what was counted. */
function scanned(...parts: string[]): { ranges: number; cells: number } {
  const merges = new MergedRanges();
  for (const part of parts) merges.scan(Buffer.from(part, 'latin1'));
  return { ranges: merges.ranges, cells: merges.cells };
}

describe('merged ranges in a workbook part', () => {
  it('reads a ref as exceljs does: sheet name, $ signs, either corner first, the first two parts', () => {
    expect(['A1:B2', '$A$1:$B$2', 'B2:A1', 'Users!A1:B2', "'My, sheet'!A1:C3", 'A1', 'A1:B2:C9', 'B1:XFD20000', 'a1:b2', ':', ''].map(mergedArea)).toEqual([
      4, 4, 4, 4, 9, 1, 4, 327_660_000, 1, 1, 1,
    ]);
    expect(mergedArea('A1:B99999999999999999999')).toBeGreaterThan(1e19);
  });

  it('counts each <mergeCell> however its bytes are split across chunks, and not the <mergeCells> list', () => {
    const xml = `<sheetData/><mergeCells count="2"><mergeCell ref="B1:XFD20000"/><mergeCell\n ref = 'C5:D6' /></mergeCells><pageMargins/>`;
    expect(scanned(xml)).toEqual({ ranges: 2, cells: 327_660_004 });
    for (let split = 1; split < xml.length; split += 1) {
      expect(scanned(xml.slice(0, split), xml.slice(split))).toEqual({ ranges: 2, cells: 327_660_004 });
    }
  });

  it('finds the ref past a > inside another quoted attribute, and decodes character references', () => {
    expect(scanned(`<mergeCell note="a>b" ref="B1:B10"/>`)).toEqual({ ranges: 1, cells: 10 });
    expect(scanned(`<mergeCell ref="&#66;1:&#x42;10"/><mergeCell ref="A1:A&#50;"/>`)).toEqual({ ranges: 2, cells: 12 });
  });

  it('refuses a <mergeCell tag that runs on past 4 KB, and forgets an unfinished tag at the end of a part', () => {
    expect(() => scanned(`<mergeCell note="${'x'.repeat(5000)}`)).toThrow('a <mergeCell> tag runs on for more than 4096 bytes');
    const merges = new MergedRanges();
    merges.scan(Buffer.from('<mergeCell ref="A1:'));
    merges.endPart();
    merges.scan(Buffer.from('XFD9"/>'));
    expect([merges.ranges, merges.cells]).toEqual([0, 0]);
  });
});
