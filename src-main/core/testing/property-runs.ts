/**
 * How many cases a property test runs. `npm test` runs a few hundred per property so each stays within a few
 * seconds; a nightly run sets ROSTER_PROPERTY_RUNS (e.g. 10000) and every property runs that many, with no
 * test timeout (the count, not the machine's speed, decides how long it takes).
 */
const nightly = Number.parseInt(process.env.ROSTER_PROPERTY_RUNS ?? '', 10);

/** Whether this is a nightly-sized run (ROSTER_PROPERTY_RUNS set to a positive number). */
export const NIGHTLY = Number.isSafeInteger(nightly) && nightly > 0;

/** The number of cases for a property: `quick` in `npm test`, ROSTER_PROPERTY_RUNS in a nightly run. */
export const propertyRuns = (quick: number): number => (NIGHTLY ? nightly : quick);

/** A vitest timeout for a property test: `quick` ms in `npm test`, none in a nightly run. */
export const propertyTimeout = (quick = 60_000): number => (NIGHTLY ? 0 : quick);
