import { resolve } from 'node:path';
import { FILE_TEST_STEPS, type ConnectionStepResult, type ConnectionTestReport } from '#shared/model/connection-test';
import type { RealmInput } from '#shared/model/realm';
import { RosterError } from '#shared/result';
import type { LdapEntry } from '../ldap/search';
import { COVERAGE_SAMPLE, coverageOutcome, type CoverageProbe } from '../realms/mapping-coverage';
import { loadLdifFile, openLdifSource } from './ldif-source';

type FileStep = (typeof FILE_TEST_STEPS)[number];

const LABELS: Record<FileStep, string> = {
  file: 'Read the LDIF file',
  users: 'Count users matching the filter',
  coverage: 'Check the attribute mapping on a sample of users',
};

const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

/**
 * "Test connection" for an offline realm: the file stands in for the server, so the test reads it, counts the
 * users the filter selects and applies the mapping to a sample of them, as a live test does. Never throws.
 */
export async function testLdifFile(realm: RealmInput, coverage: CoverageProbe, signal?: AbortSignal): Promise<ConnectionTestReport> {
  const path = realm.ldif?.path ? resolve(realm.ldif.path) : '';
  const steps: ConnectionStepResult[] = [];
  const report: ConnectionTestReport = { ok: false, url: path, steps };
  const run = async (step: FileStep, work: () => Promise<{ status: 'ok' | 'warning' | 'skipped'; detail: string }>) => {
    const started = performance.now();
    try {
      steps.push({ step, label: LABELS[step], ...(await work()), ms: Math.round(performance.now() - started) });
    } catch (error) {
      const failure = error instanceof RosterError ? error : new RosterError('invalid-input', (error as Error).message);
      steps.push({ step, label: LABELS[step], status: 'failed', detail: failure.message, ms: Math.round(performance.now() - started) });
      throw failure;
    }
  };
  try {
    await run('file', async () => {
      if (!path) throw new RosterError('invalid-input', `Realm "${realm.name}" has no LDIF file; choose one in the realm settings.`);
      const directory = await loadLdifFile(path, realm.name ? ` of realm "${realm.name}"` : '');
      const skipped = directory.skipped ? `; ${plural(directory.skipped, 'change record')} skipped` : '';
      return { status: 'ok', detail: `${path}: ${plural(directory.entries.length, 'entry', 'entries')}${skipped}.` };
    });
    // Every attribute an import reads, so the sample is what an import would see.
    const source = await openLdifSource({ ...realm, id: '', order: 0 }, coverage.attributes);
    const sample: LdapEntry[] = [];
    await run('users', async () => {
      let count = 0;
      for await (const page of source.search(realm.search.userFilter, signal)) {
        count += page.length;
        if (sample.length < COVERAGE_SAMPLE) sample.push(...page.slice(0, COVERAGE_SAMPLE - sample.length));
      }
      report.userCount = count;
      report.userCountCapped = false;
      return { status: 'ok', detail: `${plural(count, 'user')} match ${realm.search.userFilter}.` };
    });
    await run('coverage', async () => {
      if (sample.length === 0) return { status: 'skipped', detail: 'No users match the filter: there is nothing to sample.' };
      report.coverage = coverage.measure(sample, (report.userCount ?? 0) > sample.length);
      return coverageOutcome(report.coverage);
    });
    report.ok = true;
  } catch (error) {
    const failure = error instanceof RosterError ? error : new RosterError('invalid-input', (error as Error).message);
    report.error = failure.toAppError();
    for (const step of FILE_TEST_STEPS.slice(steps.length))
      steps.push({ step, label: LABELS[step], status: 'skipped', detail: 'Not run: an earlier step failed.', ms: 0 });
  }
  return report;
}
