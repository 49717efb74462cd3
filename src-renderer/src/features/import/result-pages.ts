import type { ImportRow } from '#shared/model/sync';

/** Rows per `import:page` request: many screenfuls, small enough to answer at once. */
export const PAGE_SIZE = 200;

/** Pages kept at most; the farthest from the visible rows go first (a 100,000-entry result never sits here whole). */
export const MAX_PAGES = 30;

/** Fetched pages of the current view (one search, one status chip) by page number. */
export type PageMap = Readonly<Record<number, readonly ImportRow[]>>;

/** An inclusive range of row indexes. */
export interface RowRange {
  start: number;
  end: number;
}

/** The page a row index falls in. */
export const pageOf = (index: number): number => Math.floor(index / PAGE_SIZE);

/** The page numbers covering a range, clamped to the rows that exist. */
export function pagesFor(range: RowRange, total: number): number[] {
  if (total <= 0 || range.end < range.start) return [];
  const out: number[] = [];
  for (let page = pageOf(Math.max(0, range.start)); page <= pageOf(Math.min(total - 1, range.end)); page++) out.push(page);
  return out;
}

/** The row at an index, or undefined while its page is not fetched. */
export const rowAt = (pages: PageMap, index: number): ImportRow | undefined => pages[pageOf(index)]?.[index % PAGE_SIZE];

/** Adds a fetched page; over MAX_PAGES the pages farthest from the visible range are dropped. */
export function withPage(pages: PageMap, page: number, rows: readonly ImportRow[], visible: RowRange): PageMap {
  const next: Record<number, readonly ImportRow[]> = { ...pages, [page]: rows };
  // The page just fetched was asked for: it stays even when the view moved on.
  const keys = Object.keys(next)
    .map(Number)
    .filter((n) => n !== page);
  if (keys.length < MAX_PAGES) return next;
  const centre = pageOf(Math.floor((visible.start + visible.end) / 2));
  keys.sort((a, b) => Math.abs(b - centre) - Math.abs(a - centre));
  for (const n of keys.slice(0, keys.length + 1 - MAX_PAGES)) delete next[n];
  return next;
}

/** The DNs of rows from..to (inclusive, either order), or null when a row in between is not fetched. */
export function dnsInRange(pages: PageMap, from: number, to: number): string[] | null {
  const dns: string[] = [];
  for (let i = Math.min(from, to); i <= Math.max(from, to); i++) {
    const row = rowAt(pages, i);
    if (!row) return null;
    dns.push(row.dn);
  }
  return dns;
}
