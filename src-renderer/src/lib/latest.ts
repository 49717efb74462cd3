// Opaque: only the latestOnly() that handed a ticket out recognises it.
declare const ticketBrand: unique symbol;
export type Ticket = { readonly [ticketBrand]: true };

/**
 * Drops stale answers: when requests overlap, only the newest one's answer may land.
 * `const ticket = searches.next(); const r = await call(…); if (!searches.isCurrent(ticket)) return;`
 * A ticket stays current until the next `next()`, or `invalidate()` (a reset or close: no new request);
 * it may be handed on (to a debounced fetch, a shared `patch`) and checked after several awaits.
 */
export function latestOnly() {
  let current: Ticket | null = null;
  return {
    next: (): Ticket => (current = Object.freeze({}) as Ticket),
    isCurrent: (ticket: Ticket): boolean => ticket === current,
    invalidate: (): void => {
      current = null;
    },
  };
}
