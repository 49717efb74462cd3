import { Client, ResultCodeError } from 'ldapts';
import { connect as netConnect, Socket } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import type { TlsMode } from '#shared/model/realm';
import { tlsMismatch } from '#shared/model/realm-tls';
import { RosterError } from '#shared/result';
import { installEntryDecoder } from './entry-decoder';
import { translateLdapError } from './errors';

/** How to reach and bind to a directory: the connection half of a realm, plus nothing secret. */
export interface LdapTarget {
  urls: string[];
  tls: TlsMode;
  caCertPem?: string;
  verifyCertificate: boolean;
  bindDn: string;
  connectTimeoutMs: number;
  operationTimeoutMs: number;
}

/** A bound connection. Always end it with `close()` (done for you by `withSession`). */
export interface LdapSession {
  url: string;
  client: Client;
  /** The target's operation timeout, which ldapts applies to each request (named in the error when one ends). */
  operationTimeoutMs?: number;
  close(): Promise<void>;
}

/**
 * TLS options from a target: the realm's CA, verification on unless the admin turned it off. Pass the host
 * for StartTLS: an upgraded socket otherwise checks the certificate against "localhost".
 */
export function tlsOptionsFor(target: LdapTarget, host?: string): ConnectionOptions {
  const isIp = host !== undefined && (/^[\d.]+$/.test(host) || host.includes(':'));
  return {
    ca: target.caCertPem ? [target.caCertPem] : undefined,
    rejectUnauthorized: target.verifyCertificate,
    minVersion: 'TLSv1.2',
    ...(host ? { host } : {}),
    ...(host && !isIp ? { servername: host } : {}),
  };
}

/** Host and port of an ldap:// or ldaps:// URL, with the scheme's default port. */
export function parseLdapUrl(url: string): { host: string; port: number; secure: boolean } {
  const parsed = new URL(url);
  const secure = parsed.protocol.toLowerCase() === 'ldaps:';
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  return { host, port: parsed.port ? Number(parsed.port) : secure ? 636 : 389, secure };
}

/**
 * For StartTLS: the client's one plain connection. ldapts opens a new one by itself after an operation timed
 * out, and that one would not be upgraded: it would carry the next bind or search in clear. It fails instead.
 */
function connectOnce(url: string): typeof netConnect {
  let made = false;
  return ((...args: Parameters<typeof netConnect>) => {
    if (!made) {
      made = true;
      return netConnect(...args);
    }
    const { host, port } = parseLdapUrl(url);
    // Destroyed before ldapts sees it, so it never counts as open; the error reaches ldapts' connect handler.
    const reason = `The StartTLS connection to ${host}:${port} was closed; Roster does not go on over a new connection without TLS. Try again.`;
    return new Socket().destroy(new RosterError('tls-failed', reason));
  }) as typeof netConnect;
}

/** A fresh ldapts client for one URL with the target's timeouts and TLS settings. */
export function clientFor(url: string, target: LdapTarget): Client {
  const ldaps = /^ldaps:/i.test(url);
  const client = new Client({
    url,
    connectTimeout: target.connectTimeoutMs,
    timeout: target.operationTimeoutMs,
    // ldapts speaks TLS from the first byte whenever tlsOptions is set, even for ldap:// URLs,
    // so only ldaps gets them here; StartTLS passes its own to startTLS().
    ...(ldaps ? { tlsOptions: tlsOptionsFor(target) } : {}),
    ...(!ldaps && target.tls === 'starttls' ? { createConnection: connectOnce(url) } : {}),
    strictDN: false,
  });
  installEntryDecoder(client);
  return client;
}

const abortError = () => new RosterError('cancelled', 'Cancelled.');

/** Resolves when `work` settles; on abort, tears the connection down so the work fails fast. */
export async function abortable<T>(work: Promise<T>, client: Client, signal?: AbortSignal): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) {
    // The work was already started: let its failure (from the unbind that follows) land somewhere.
    work.catch(() => undefined);
    void client.unbind().catch(() => undefined);
    throw abortError();
  }
  const onAbort = () => void client.unbind().catch(() => undefined);
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await work;
  } catch (error) {
    if (signal.aborted) throw abortError();
    throw error;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/**
 * Refuses a target whose TLS mode its URLs cannot honour (a realm saved before the schema checked it): LDAPS
 * over an ldap:// URL would bind in clear text, StartTLS inside ldaps:// cannot work. `none` with ldaps://
 * URLs is TLS on the wire already and stays usable; the realm form asks for LDAPS at the next save.
 */
export function assertTlsMatchesUrls(target: Pick<LdapTarget, 'tls' | 'urls'>): void {
  // `none` over ldaps:// alone is TLS on the wire; `none` mixing ldaps:// and ldap:// would fail over to clear text.
  const mixed = target.urls.some((u) => /^\s*ldaps:/i.test(u)) && target.urls.some((u) => /^\s*ldap:/i.test(u));
  const problem = target.tls === 'none' && !mixed ? undefined : tlsMismatch(target.tls, target.urls);
  if (problem) throw new RosterError('invalid-input', `The realm's TLS setting does not match its server URLs: ${problem}`);
}

/**
 * Upgrades the connection with StartTLS. A server that refuses it fails the whole operation with `tls-failed`:
 * the caller closes the connection and never binds on it, so nothing is ever sent in clear instead.
 */
export async function startTls(client: Client, target: LdapTarget, url: string, signal?: AbortSignal): Promise<void> {
  const { host, port } = parseLdapUrl(url);
  try {
    await abortable(client.startTLS(tlsOptionsFor(target, host)), client, signal);
  } catch (error) {
    if (!(error instanceof ResultCodeError)) throw error;
    throw new RosterError(
      'tls-failed',
      `${host}:${port} refused StartTLS (LDAP error ${error.code}: ${error.message}). Roster does not fall back to a clear-text connection: enable TLS on the server, use an ldaps:// URL, or — only on a network you trust — choose no TLS for this realm.`,
      { ldapCode: error.code },
    );
  }
}

/**
 * Connects to the first URL that answers (failover on network errors only, never after a bind was refused),
 * upgrades with StartTLS when asked, and binds (anonymously when there is no bind DN).
 */
export async function openSession(target: LdapTarget, password: string | undefined, signal?: AbortSignal): Promise<LdapSession> {
  assertTlsMatchesUrls(target);
  let lastError: RosterError | undefined;
  for (const url of target.urls) {
    const context = { url, bindDn: target.bindDn, operationTimeoutMs: target.operationTimeoutMs };
    let client: Client | undefined;
    try {
      // Inside the try: a URL the client cannot use is that URL's failure, and the next one is still tried.
      const opened = clientFor(url, target);
      client = opened;
      if (target.tls === 'starttls') await startTls(opened, target, url, signal);
      await abortable(opened.bind(target.bindDn, target.bindDn ? (password ?? '') : ''), opened, signal);
      return { url, client: opened, operationTimeoutMs: target.operationTimeoutMs, close: () => opened.unbind().catch(() => undefined) };
    } catch (error) {
      await client?.unbind().catch(() => undefined);
      const translated = translateLdapError(error, context);
      if (error instanceof ResultCodeError || translated.code === 'cancelled' || translated.code.startsWith('tls-')) throw translated;
      lastError = translated;
    }
  }
  throw lastError ?? new RosterError('invalid-input', 'The realm has no server URL.');
}

/** Runs `work` on a bound session and always unbinds afterwards. */
export async function withSession<T>(
  target: LdapTarget,
  password: string | undefined,
  work: (session: LdapSession) => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  const session = await openSession(target, password, signal);
  try {
    return await work(session);
  } finally {
    await session.close();
  }
}
