import { describe, expect, it } from 'vitest';
import { bulkTarget, isSelected, NO_SELECTION, selectAll, selectedCount, selectOne, selectRange, toggleOne } from './selection';

const query = { search: 'ann', sort: { column: 'username', direction: 'asc' } } as const;

describe('selection', () => {
  it('selects one, toggles more, and extends a range from the anchor', () => {
    let s = selectOne('a', 0);
    s = toggleOne(s, 'c', 2);
    expect([...s.ids]).toEqual(['a', 'c']);
    expect(s.anchor).toBe(2);
    s = toggleOne(s, 'a', 0);
    expect([...s.ids]).toEqual(['c']);
    s = selectRange(s, ['c', 'd', 'e'], 2, false);
    expect([...s.ids]).toEqual(['c', 'd', 'e']);
    expect(s.anchor).toBe(2);
    s = selectRange(selectOne('z', 9), ['c', 'd'], 2, true);
    expect([...s.ids].sort()).toEqual(['c', 'd', 'z']);
  });

  it('treats "all in filter" as every row and sends the query as the bulk target', () => {
    const s = selectAll();
    expect(isSelected(s, 'anyone')).toBe(true);
    expect(selectedCount(s, 2000)).toBe(2000);
    expect(bulkTarget(s, query)).toEqual({ query });
    // A toggle leaves "all": main cannot be told "all but one".
    expect([...toggleOne(s, 'b', 1).ids]).toEqual(['b']);
  });

  it('has no bulk target when nothing is selected, and ids otherwise', () => {
    expect(bulkTarget(NO_SELECTION, query)).toBeNull();
    expect(bulkTarget(selectOne('a', 0), query)).toEqual({ ids: ['a'] });
  });
});
