import type { FieldCoverage, MappingCoverage } from '#shared/model/connection-test';
import type { FieldDefinition } from '#shared/model/fields';
import type { RealmInput } from '#shared/model/realm';
import type { LdapEntry } from '../ldap/search';
import { attributesToRequest, sourcedValue, sourceMap } from '../sync/mapping';

/** How many users "Test connection" reads to judge the mapping: enough to see a pattern, one page on any server. */
export const COVERAGE_SAMPLE = 200;

/** The mapping coverage step: what to read for the sample, and how to judge it. */
export interface CoverageProbe {
  /** Attributes the search requests: exactly what an import would read. */
  attributes: string[];
  /** The mapping applied to a sample; `more` when the directory holds more matching users than the sample. */
  measure(entries: readonly LdapEntry[], more: boolean): MappingCoverage;
}

interface FieldPlan {
  field: string;
  label: string;
  required: boolean;
  sources: readonly string[];
  /** The username: empty for anyone means that person cannot be imported. */
  username: boolean;
}

/** `a`, `a or b`, `a, b or c`. */
const orList = (items: readonly string[]): string => (items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1) as string}`);

/** Why a field needs attention, or undefined: a required field empty for most, a username empty for anyone. */
function warningFor(plan: FieldPlan, empty: number, sampled: number): string | undefined {
  const mostEmpty = plan.required && empty * 2 > sampled;
  if (!(plan.username ? empty > 0 : mostEmpty)) return undefined;
  const mapped = plan.sources.length > 0;
  const why = !mapped ? 'it is not mapped' : empty === 1 ? `it has no ${orList(plan.sources)}` : `none has ${orList(plan.sources)}`;
  const lost = plan.username ? `${empty === 1 ? 'it' : 'they'} cannot be imported; ` : '';
  return `${plan.label} would be empty for ${empty} of ${sampled} users: ${why}; ${lost}map ${mapped ? 'another' : 'an'} attribute under Attribute mapping.`;
}

/** Counts, per source in list order, whom it gave a value to; sources never tried (all filled earlier) are left out. */
function measureField(plan: FieldPlan, entries: readonly LdapEntry[]): FieldCoverage {
  const counts = plan.sources.map(() => 0);
  let empty = 0;
  let reached = 0;
  for (const entry of entries) {
    const { source } = sourcedValue(entry, plan.sources);
    const index = source === undefined ? -1 : plan.sources.indexOf(source);
    if (index < 0) {
      empty += 1;
      reached = plan.sources.length;
    } else {
      counts[index] = (counts[index] ?? 0) + 1;
      reached = Math.max(reached, index + 1);
    }
  }
  const warning = warningFor(plan, empty, entries.length);
  return {
    field: plan.field,
    label: plan.label,
    required: plan.required,
    sources: [...plan.sources],
    counts: plan.sources.slice(0, reached).map((source, i) => ({ source, count: counts[i] ?? 0 })),
    empty,
    ...(warning ? { warning } : {}),
  };
}

/** The coverage probe for a realm (saved or a draft) and the field catalogue. */
export function coverageProbe(realm: RealmInput, fields: readonly FieldDefinition[]): CoverageProbe {
  const sources = sourceMap(realm, fields);
  const plans: FieldPlan[] = [
    { field: 'username', label: 'Username', required: true, sources: realm.mapping.username ?? ['uid'], username: true },
    ...fields.map((f) => ({ field: f.key, label: f.label, required: f.required, sources: sources.get(f.key) ?? [], username: false })),
  ];
  return {
    attributes: attributesToRequest(realm, fields),
    measure: (entries, more) => ({
      sampled: entries.length,
      cap: COVERAGE_SAMPLE,
      more,
      fields: plans.map((plan) => measureField(plan, entries)),
    }),
  };
}

/** The coverage step's status and detail: a warning names each field that needs attention and what to do. */
export function coverageOutcome(coverage: MappingCoverage): { status: 'ok' | 'warning'; detail: string } {
  const warnings = coverage.fields.flatMap((f) => (f.warning ? [f.warning] : []));
  if (warnings.length > 0) return { status: 'warning', detail: warnings.join(' ') };
  const { sampled, more } = coverage;
  return {
    status: 'ok',
    detail: `Sampled ${more ? 'the first ' : ''}${sampled} user${sampled === 1 ? '' : 's'}: every one has a username, and each required field has a value for most of them.`,
  };
}
