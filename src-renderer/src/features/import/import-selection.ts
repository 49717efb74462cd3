/**
 * The entries chosen for import: explicit DNs, or every entry of the view ("Select all", which may be far
 * more entries than were ever fetched). `anchor` is the row index shift-click extends from.
 */
export interface ImportSelection {
  dns: ReadonlySet<string>;
  all: boolean;
  anchor: number | null;
}

/** Nothing selected. */
export const NO_SELECTION: ImportSelection = { dns: new Set(), all: false, anchor: null };

/** Flips one entry (click on its checkbox, Space); under "all" the flip starts from nothing. */
export function toggleDn(selection: ImportSelection, dn: string, index: number): ImportSelection {
  const dns = new Set(selection.all ? [] : selection.dns);
  if (dns.has(dn) && !selection.all) dns.delete(dn);
  else dns.add(dn);
  return { dns, all: false, anchor: index };
}

/** Adds a range of entries (shift-click), keeping what was selected; the anchor stays where it was. */
export function addRange(selection: ImportSelection, dns: readonly string[], anchor: number): ImportSelection {
  const next = new Set(selection.all ? [] : selection.dns);
  for (const dn of dns) next.add(dn);
  return { dns: next, all: false, anchor };
}

/** Every entry of the view. */
export const selectEvery = (): ImportSelection => ({ dns: new Set(), all: true, anchor: null });

/** Whether an entry is selected. */
export const isChosen = (selection: ImportSelection, dn: string): boolean => selection.all || selection.dns.has(dn);

/** How many entries the selection holds. */
export const chosenCount = (selection: ImportSelection, total: number): number => (selection.all ? total : selection.dns.size);
