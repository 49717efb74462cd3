import { connect as netConnect } from 'node:net';
import { connect as tlsConnect, type PeerCertificate } from 'node:tls';
import type { Client } from 'ldapts';
import { CONNECTION_STEPS, type ConnectionStepResult, type ConnectionTestReport, type ServerInfo } from '#shared/model/connection-test';
import { RosterError } from '#shared/result';
import { COVERAGE_SAMPLE, coverageOutcome, type CoverageProbe } from '../realms/mapping-coverage';
import { translateLdapError } from './errors';
import { searchPages, type LdapEntry } from './search';
import { clearTextBindWarning } from '#shared/model/realm-tls';
import { abortable, assertTlsMatchesUrls, clientFor, parseLdapUrl, startTls, tlsOptionsFor, type LdapTarget } from './session';

/** What to test: where to connect, and where users should be found. */
export interface ConnectionTestInput {
  target: LdapTarget;
  password: string | undefined;
  /** Why no password is given though a kept one exists (it was kept for another target): the bind step says so. */
  passwordMissing?: string;
  baseDn: string;
  userFilter: string;
  /** The realm's search scope (default: the whole subtree). */
  scope?: 'sub' | 'one';
  /** Stop counting users here; the report then says "at least". */
  userCountCap?: number;
  /** The realm's mapping, to apply to a sample of its users; without it that step is skipped. */
  coverage?: CoverageProbe;
  signal?: AbortSignal;
}

type LdapStep = (typeof CONNECTION_STEPS)[number];

/** What a step found when it is not simply "ok": a warning, with its detail. */
interface StepOutcome {
  status: 'ok' | 'warning' | 'skipped';
  detail: string;
}

const LABELS: Record<LdapStep, string> = {
  reach: 'Reach the host',
  tls: 'Secure the connection (TLS)',
  bind: 'Bind (log in)',
  rootdse: 'Read the server description (RootDSE)',
  base: 'Find the base DN',
  users: 'Count users matching the filter',
  coverage: 'Check the attribute mapping on a sample of users',
};

const PAGED_RESULTS_OID = '1.2.840.113556.1.4.319';
const AD_CAPABILITY_OID = '1.2.840.113556.1.4.800';

const probeTcp = (host: string, port: number, timeoutMs: number): Promise<void> =>
  new Promise((resolve, reject) => {
    const socket = netConnect({ host, port });
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      reject(Object.assign(new Error(`connect ETIMEDOUT ${host}:${port}`), { code: 'ETIMEDOUT' }));
    });
    socket.once('connect', () => {
      socket.end();
      resolve();
    });
    socket.once('error', (error) => {
      socket.destroy();
      reject(error);
    });
  });

const probeTls = (host: string, port: number, target: LdapTarget): Promise<PeerCertificate> =>
  new Promise((resolve, reject) => {
    const socket = tlsConnect({ port, ...tlsOptionsFor(target, host), timeout: target.connectTimeoutMs });
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate();
      socket.end();
      resolve(cert);
    });
    socket.once('timeout', () => {
      socket.destroy();
      reject(Object.assign(new Error(`TLS handshake timed out with ${host}:${port}`), { code: 'ETIMEDOUT' }));
    });
    socket.once('error', (error) => {
      socket.destroy();
      reject(error);
    });
  });

const first = (values: unknown): string | undefined => (Array.isArray(values) ? values[0]?.toString() : typeof values === 'string' ? values : undefined);
const all = (values: unknown): string[] => (Array.isArray(values) ? values.map(String) : typeof values === 'string' ? [values] : []);

/** Reads and interprets the RootDSE: vendor, naming contexts, paged-results support. */
async function readRootDse(client: Client, signal?: AbortSignal): Promise<ServerInfo> {
  const { searchEntries } = await abortable(
    client.search('', {
      scope: 'base',
      filter: '(objectClass=*)',
      attributes: [
        'objectClass',
        'vendorName',
        'vendorVersion',
        'namingContexts',
        'defaultNamingContext',
        'supportedControl',
        'supportedCapabilities',
        'dnsHostName',
        'forestFunctionality',
      ],
    }),
    client,
    signal,
  );
  const dse = searchEntries[0] ?? { dn: '' };
  const capabilities = all(dse.supportedCapabilities);
  const objectClasses = all(dse.objectClass).map((c) => c.toLowerCase());
  const vendor =
    first(dse.vendorName) ??
    (capabilities.includes(AD_CAPABILITY_OID) ? 'Active Directory' : objectClasses.includes('openldaprootdse') ? 'OpenLDAP' : 'LDAPv3 server');
  return {
    vendor,
    vendorVersion: first(dse.vendorVersion),
    namingContexts: all(dse.namingContexts),
    defaultNamingContext: first(dse.defaultNamingContext),
    pagedResults: all(dse.supportedControl).includes(PAGED_RESULTS_OID),
  };
}

/**
 * "Test connection": runs each stage in order, timing it, and stops at the first failure with a message
 * a person can act on. Never throws; the report says what worked and what did not.
 */
export async function testConnection(input: ConnectionTestInput): Promise<ConnectionTestReport> {
  const { target, signal } = input;
  const cap = input.userCountCap ?? 10_000;
  const steps: ConnectionStepResult[] = [];
  const report: ConnectionTestReport = { ok: false, url: target.urls[0] ?? '', steps };
  let client: Client | undefined;

  const run = async (step: LdapStep, work: () => Promise<string | StepOutcome | undefined>): Promise<void> => {
    const started = performance.now();
    try {
      const done = await work();
      const outcome: StepOutcome =
        done === undefined ? { status: 'skipped', detail: 'Not needed.' } : typeof done === 'string' ? { status: 'ok', detail: done } : done;
      steps.push({ step, label: LABELS[step], ...outcome, ms: Math.round(performance.now() - started) });
    } catch (error) {
      const translated = translateLdapError(error, { url: report.url, bindDn: target.bindDn, baseDn: input.baseDn });
      steps.push({ step, label: LABELS[step], status: 'failed', detail: translated.message, ms: Math.round(performance.now() - started) });
      throw translated;
    }
  };

  try {
    await run('reach', async () => {
      let lastError: unknown;
      for (const url of target.urls) {
        const { host, port } = parseLdapUrl(url);
        try {
          await probeTcp(host, port, target.connectTimeoutMs);
          report.url = url;
          return `${host}:${port} accepts connections.`;
        } catch (error) {
          report.url = url;
          lastError = error;
        }
      }
      throw lastError ?? new RosterError('invalid-input', 'The realm has no server URL.');
    });
    client = clientFor(report.url, target);
    const activeClient = client;
    await run('tls', async () => {
      assertTlsMatchesUrls(target);
      const { host, port, secure } = parseLdapUrl(report.url);
      if (secure) {
        const cert = await probeTls(host, port, target);
        return `ldaps: certificate for ${cert.subject?.CN ?? host} issued by ${cert.issuer?.CN ?? 'unknown'}, valid until ${cert.valid_to}${target.verifyCertificate ? ', verified' : ' (verification OFF)'}.`;
      }
      if (target.tls === 'starttls') {
        await startTls(activeClient, target, report.url, signal);
        return `StartTLS upgrade succeeded${target.verifyCertificate ? '; certificate verified' : ' (verification OFF)'}.`;
      }
      // The connection works, but the admin should see at every test that the password travels in clear.
      const clear = clearTextBindWarning(target);
      return clear ? { status: 'warning', detail: clear } : undefined;
    });
    await run('bind', async () => {
      if (!target.bindDn) {
        await abortable(activeClient.bind('', ''), activeClient, signal);
        return 'Anonymous bind accepted.';
      }
      if (!input.password)
        throw new RosterError(
          'password-required',
          input.passwordMissing ??
            `No bind password is known for ${target.bindDn}. Enter it in the realm settings (CLI: --password-env VAR or --password-file FILE).`,
        );
      await abortable(activeClient.bind(target.bindDn, input.password), activeClient, signal);
      return `Bound as ${target.bindDn}.`;
    });
    await run('rootdse', async () => {
      report.server = await readRootDse(activeClient, signal);
      const s = report.server;
      return `${s.vendor}${s.vendorVersion ? ` ${s.vendorVersion}` : ''}; naming contexts: ${s.namingContexts.join('; ') || 'none listed'}; paged results ${s.pagedResults ? 'supported' : 'NOT supported'}.`;
    });
    await run('base', async () => {
      report.baseDnFound = false;
      await abortable(activeClient.search(input.baseDn, { scope: 'base', filter: '(objectClass=*)', attributes: ['1.1'] }), activeClient, signal);
      report.baseDnFound = true;
      return `${input.baseDn} exists.`;
    });
    await run('users', async () => {
      let count = 0;
      const session = { url: report.url, client: activeClient, close: async () => undefined };
      for await (const page of searchPages(session, {
        baseDn: input.baseDn,
        filter: input.userFilter,
        scope: input.scope ?? 'sub',
        attributes: ['1.1'],
        pageSize: 1000,
        signal,
      })) {
        count += page.length;
        if (count >= cap) break;
      }
      report.userCount = Math.min(count, cap);
      report.userCountCapped = count >= cap;
      return `${report.userCountCapped ? 'At least ' : ''}${report.userCount} user${report.userCount === 1 ? '' : 's'} match ${input.userFilter}.`;
    });
    await run('coverage', async () => {
      const probe = input.coverage;
      if (!probe) return { status: 'skipped', detail: 'Not requested.' };
      if (!report.userCount) return { status: 'skipped', detail: 'No users match the filter: there is nothing to sample.' };
      const session = { url: report.url, client: activeClient, close: async () => undefined };
      const sample: LdapEntry[] = [];
      // One page holds the whole sample; leaving the search after it is what the count above does too.
      for await (const page of searchPages(session, {
        baseDn: input.baseDn,
        filter: input.userFilter,
        scope: input.scope ?? 'sub',
        attributes: probe.attributes,
        pageSize: COVERAGE_SAMPLE,
        signal,
      })) {
        sample.push(...page);
        if (sample.length >= COVERAGE_SAMPLE) break;
      }
      report.coverage = probe.measure(sample.slice(0, COVERAGE_SAMPLE), (report.userCount ?? 0) > COVERAGE_SAMPLE);
      return coverageOutcome(report.coverage);
    });
    report.ok = true;
  } catch (error) {
    const translated = error instanceof RosterError ? error : translateLdapError(error, { url: report.url });
    if (translated.code === 'no-such-base' && report.server?.namingContexts.length) {
      translated.message = `${translated.message} This server holds: ${report.server.namingContexts.join('; ')}.`;
      const failed = steps.find((s) => s.status === 'failed');
      if (failed) failed.detail = translated.message;
    }
    report.error = translated.toAppError();
    const failedAt = steps.length;
    for (const step of CONNECTION_STEPS.slice(failedAt)) {
      steps.push({ step, label: LABELS[step], status: 'skipped', detail: 'Not run: an earlier step failed.', ms: 0 });
    }
  } finally {
    await client?.unbind().catch(() => undefined);
  }
  return report;
}
