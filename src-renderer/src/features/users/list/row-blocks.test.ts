import { describe, expect, it } from 'vitest';
import type { UserRow } from '#shared/model/user';
import { BLOCK_SIZE, blocksFor, blocksToFetch, flightKey, idsInRange, MAX_BLOCKS, rowAt, withBlock, type BlockMap } from './row-blocks';

const rows = (block: number, count = BLOCK_SIZE): UserRow[] =>
  Array.from({ length: count }, (_, i) => {
    const n = block * BLOCK_SIZE + i;
    return { id: `u${n}`, username: `user${n}`, displayName: '', email: '', department: '', title: '', kind: 'internal', enabled: true, incomplete: false, completions: false, conflicts: false };
  });
const visible = { start: 0, end: 30 };

describe('blocksFor', () => {
  it('covers a range with whole blocks, clamped to the rows that exist', () => {
    expect(blocksFor({ start: 0, end: 30 }, 100_000)).toEqual([0]);
    expect(blocksFor({ start: 190, end: 410 }, 100_000)).toEqual([0, 1, 2]);
    expect(blocksFor({ start: 190, end: 410 }, 250)).toEqual([0, 1]);
    expect(blocksFor({ start: 0, end: 30 }, 0)).toEqual([]);
  });
});

describe('withBlock and rowAt', () => {
  it('finds rows by index across blocks', () => {
    let blocks: BlockMap = {};
    blocks = withBlock(blocks, 0, rows(0), { gen: 1, minGen: 1, total: 1000, visible });
    blocks = withBlock(blocks, 3, rows(3), { gen: 1, minGen: 1, total: 1000, visible });
    expect(rowAt(blocks, 5)?.id).toBe('u5');
    expect(rowAt(blocks, 3 * BLOCK_SIZE + 7)?.id).toBe(`u${3 * BLOCK_SIZE + 7}`);
    expect(rowAt(blocks, BLOCK_SIZE)).toBeUndefined();
  });

  it('keeps stale blocks of the same query on screen, drops those of another query and past the total', () => {
    let blocks: BlockMap = {};
    blocks = withBlock(blocks, 0, rows(0), { gen: 1, minGen: 1, total: 1000, visible });
    blocks = withBlock(blocks, 1, rows(1), { gen: 1, minGen: 1, total: 1000, visible });
    blocks = withBlock(blocks, 4, rows(4), { gen: 1, minGen: 1, total: 1000, visible });
    // Data refresh (gen 2, same query since gen 1): block 1 stays shown until refetched.
    const refreshed = withBlock(blocks, 0, rows(0), { gen: 2, minGen: 1, total: 300, visible });
    expect(Object.keys(refreshed)).toEqual(['0', '1']);
    expect(refreshed[1]?.gen).toBe(1);
    // New search (query changed at gen 3): the old rows are not this query's rows.
    const searched = withBlock(blocks, 0, rows(0, 10), { gen: 3, minGen: 3, total: 10, visible });
    expect(Object.keys(searched)).toEqual(['0']);
  });

  it('evicts the farthest blocks beyond MAX_BLOCKS, never the visible one', () => {
    let blocks: BlockMap = {};
    for (let b = 0; b < MAX_BLOCKS + 5; b++) blocks = withBlock(blocks, b, rows(b), { gen: 1, minGen: 1, total: 100_000, visible });
    expect(Object.keys(blocks)).toHaveLength(MAX_BLOCKS);
    expect(blocks[0]).toBeDefined();
    expect(blocks[MAX_BLOCKS + 4]).toBeUndefined();
  });
});

describe('blocksToFetch', () => {
  it('asks for missing and stale blocks not already on the way', () => {
    const blocks: BlockMap = { 0: { gen: 2, rows: rows(0) }, 1: { gen: 1, rows: rows(1) } };
    expect(blocksToFetch(blocks, { start: 0, end: 650 }, 100_000, 2, new Set([flightKey(2, 3)]))).toEqual([1, 2]);
  });
});

describe('idsInRange', () => {
  it('collects ids in either direction, or null when a row is missing', () => {
    const blocks: BlockMap = { 0: { gen: 1, rows: rows(0) } };
    expect(idsInRange(blocks, 4, 2)).toEqual(['u2', 'u3', 'u4']);
    expect(idsInRange(blocks, 190, 210)).toBeNull();
  });
});
