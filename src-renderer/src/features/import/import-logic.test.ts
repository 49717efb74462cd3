import { describe, expect, it } from 'vitest';
import type { ImportRow } from '#shared/model/sync';
import { resultCountText, runVerb } from './import-labels';
import { addRange, chosenCount, isChosen, NO_SELECTION, selectEvery, toggleDn } from './import-selection';
import { dnsInRange, MAX_PAGES, PAGE_SIZE, pagesFor, rowAt, withPage } from './result-pages';

const row = (n: number): ImportRow => ({
  dn: `uid=u${n},ou=people`,
  externalId: `id${n}`,
  username: `u${n}`,
  displayName: `User ${n}`,
  email: '',
  department: '',
  title: '',
  enabled: true,
  status: 'new',
  changedFields: [],
});
const page = (p: number) => Array.from({ length: PAGE_SIZE }, (_, i) => row(p * PAGE_SIZE + i));
const counts = { new: 1200, unchanged: 300, changed: 0, conflict: 0, clash: 0 };

describe('result pages', () => {
  it('covers a range with the pages that exist', () => {
    expect(pagesFor({ start: 190, end: 410 }, 1500)).toEqual([0, 1, 2]);
    expect(pagesFor({ start: 0, end: 60 }, 30)).toEqual([0]);
    expect(pagesFor({ start: 0, end: 60 }, 0)).toEqual([]);
  });

  it('finds rows by index and collects DNs only when all are on hand', () => {
    const pages = withPage(withPage({}, 0, page(0), { start: 0, end: 10 }), 2, page(2), { start: 0, end: 10 });
    expect(rowAt(pages, 205)).toBeUndefined();
    expect(rowAt(pages, 401)?.username).toBe('u401');
    expect(dnsInRange(pages, 3, 1)).toEqual(['uid=u1,ou=people', 'uid=u2,ou=people', 'uid=u3,ou=people']);
    expect(dnsInRange(pages, 150, 250)).toBeNull();
  });

  it('evicts the pages farthest from view', () => {
    let pages = {};
    for (let p = 0; p <= MAX_PAGES; p++) pages = withPage(pages, p, page(0), { start: 0, end: 50 });
    expect(Object.keys(pages)).toHaveLength(MAX_PAGES);
    expect(pages).not.toHaveProperty(String(MAX_PAGES - 1));
    expect(pages).toHaveProperty('0');
  });
});

describe('selection', () => {
  it('toggles, extends and selects all', () => {
    let s = toggleDn(NO_SELECTION, 'a', 0);
    s = addRange(s, ['b', 'c'], 0);
    expect([...s.dns]).toEqual(['a', 'b', 'c']);
    s = toggleDn(s, 'b', 1);
    expect(isChosen(s, 'b')).toBe(false);
    expect(chosenCount(s, 100)).toBe(2);
    const all = selectEvery();
    expect(isChosen(all, 'zzz')).toBe(true);
    expect(chosenCount(all, 1500)).toBe(1500);
    expect([...toggleDn(all, 'x', 3).dns]).toEqual(['x']);
  });
});

describe('labels', () => {
  it('tells the whole count, never a capped one', () => {
    expect(resultCountText({ total: 1500, counts }, null)).toBe('1,500 entries found');
    expect(resultCountText({ total: 1500, counts }, 'unchanged')).toBe('300 of 1,500 entries');
    expect(resultCountText({ total: 1, counts: { ...counts, new: 1 } }, null)).toBe('1 entry found');
    expect(resultCountText({ total: 0, counts }, null)).toBe('No entries found');
  });

  it('names the run after what it will do', () => {
    expect(runVerb({ new: 3, unchanged: 0, changed: 0, conflict: 0, clash: 0 })).toBe('Import');
    expect(runVerb({ new: 0, unchanged: 1, changed: 2, conflict: 0, clash: 0 })).toBe('Resync');
    expect(runVerb(counts)).toBe('Import / Resync');
  });
});
