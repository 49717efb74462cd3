import type { UserRow } from '#shared/model/user';

/** Rows per `users:query` request: a screenful many times over, small enough to answer in a few ms. */
export const BLOCK_SIZE = 200;

/** Blocks kept at most; the farthest from the visible rows go first (100,000 users never all sit in memory). */
export const MAX_BLOCKS = 40;

/** One fetched block of rows, stamped with the generation (query + data version) it was fetched for. */
export interface RowBlock {
  gen: number;
  rows: readonly UserRow[];
}

/** Fetched blocks by block number. Blocks of an older generation stay shown until their refetch lands. */
export type BlockMap = Readonly<Record<number, RowBlock>>;

/** An inclusive range of row indexes. */
export interface RowRange {
  start: number;
  end: number;
}

/** The block a row index falls in. */
export const blockOf = (index: number): number => Math.floor(index / BLOCK_SIZE);

/** The block numbers covering a row range, clamped to the rows that exist. */
export function blocksFor(range: RowRange, total: number): number[] {
  if (total <= 0 || range.end < range.start) return [];
  const first = blockOf(Math.max(0, range.start));
  const last = blockOf(Math.min(total - 1, range.end));
  const out: number[] = [];
  for (let block = first; block <= last; block++) out.push(block);
  return out;
}

/** The row at an index, from a block of any generation, or undefined while it is not fetched. */
export function rowAt(blocks: BlockMap, index: number): UserRow | undefined {
  return blocks[blockOf(index)]?.rows[index % BLOCK_SIZE];
}

/** Blocks of a range still to fetch for this generation (absent or stale, and not already on the way). */
export function blocksToFetch(blocks: BlockMap, range: RowRange, total: number, gen: number, inFlight: ReadonlySet<string>): number[] {
  return blocksFor(range, total).filter((block) => blocks[block]?.gen !== gen && !inFlight.has(flightKey(gen, block)));
}

/** The key of an in-flight request: the same block is fetched again for a newer generation. */
export const flightKey = (gen: number, block: number): string => `${gen}:${block}`;

/**
 * Adds a fetched block. Blocks past the new total, and blocks fetched before `minGen` (for another search,
 * filter or sort: wrong rows, not merely old ones), are dropped; over MAX_BLOCKS, stale blocks and then
 * those farthest from the visible range are evicted.
 */
export function withBlock(
  blocks: BlockMap,
  block: number,
  rows: readonly UserRow[],
  at: { gen: number; minGen: number; total: number; visible: RowRange },
): BlockMap {
  const { gen, minGen, total, visible } = at;
  const lastBlock = total > 0 ? blockOf(total - 1) : -1;
  const next: Record<number, RowBlock> = {};
  for (const [key, value] of Object.entries(blocks)) {
    const n = Number(key);
    if (n <= lastBlock && value.gen >= minGen) next[n] = value;
  }
  next[block] = { gen, rows };
  const keys = Object.keys(next).map(Number);
  if (keys.length <= MAX_BLOCKS) return next;
  const centre = blockOf(Math.floor((visible.start + visible.end) / 2));
  const cost = (n: number) => (next[n]?.gen === gen ? 0 : 1_000_000) + Math.abs(n - centre);
  keys.sort((a, b) => cost(b) - cost(a));
  for (const n of keys.slice(0, keys.length - MAX_BLOCKS)) delete next[n];
  return next;
}

/** The ids of rows from..to (inclusive, either order), or null when a row in between is not fetched. */
export function idsInRange(blocks: BlockMap, from: number, to: number): string[] | null {
  const ids: string[] = [];
  for (let i = Math.min(from, to); i <= Math.max(from, to); i++) {
    const row = rowAt(blocks, i);
    if (!row) return null;
    ids.push(row.id);
  }
  return ids;
}
