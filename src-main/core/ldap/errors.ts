import { ResultCodeError } from 'ldapts';
import { RosterError, type ErrorCode } from '#shared/result';

/** What was being attempted when an LDAP call failed, so the message can name it. */
export interface LdapErrorContext {
  url: string;
  bindDn?: string;
  baseDn?: string;
  /** The realm's operation timeout: a request it ended is reported with it. */
  operationTimeoutMs?: number;
}

/** Active Directory's sub-codes in "data XXX" of an invalid-credentials bind, explained. */
export const AD_BIND_DATA_CODES: Record<string, string> = {
  '525': 'the user was not found (check the bind DN)',
  '52e': 'the password is wrong (or the bind DN names another account)',
  '530': 'the account may not log on at this time',
  '531': 'the account may not log on from this workstation',
  '532': 'the password has expired; set a new one for the service account',
  '533': 'the account is disabled; ask a domain admin to enable it',
  '701': 'the account has expired; ask a domain admin to extend it',
  '773': 'the password must be changed before the first logon; set a new one',
  '775': 'the account is locked out after too many failed logons; wait or ask a domain admin to unlock it',
};

const TLS_UNTRUSTED = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);

const hostOf = (url: string): string => url.replace(/^ldaps?:\/\//i, '').replace(/\/$/, '');

const make = (code: ErrorCode, message: string, details?: RosterError['details']) => new RosterError(code, message, details);

/** What Roster was waiting for, named from ldapts' request class ("SearchRequest" -> "the search"). */
const OPERATION_NAMES: Record<string, string> = {
  BindRequest: 'the bind',
  SearchRequest: 'the search',
  ExtendedRequest: 'the StartTLS request',
  UnbindRequest: 'the unbind',
};
const operationName = (request: string): string => OPERATION_NAMES[request] ?? 'a request';
const seconds = (ms: number): string => `${Number((ms / 1000).toFixed(1))} s`;

/**
 * ldapts' own failures of a pending request, which carry no error code: its timeout ("SearchRequest:
 * Operation timed out", after destroying the socket) and a connection lost while waiting ("Connection closed
 * before message response was received. Message type: BindRequest (0x60)", "Socket error. Message type: …").
 */
function pendingRequestFailure(message: string, host: string, context: LdapErrorContext): RosterError | undefined {
  const timedOut = /^(\w+): Operation timed out$/.exec(message);
  if (timedOut && context.operationTimeoutMs !== undefined) {
    const operation = operationName(timedOut[1]!);
    const advice = operation === 'the search' ? 'try again later, narrow the search, or raise' : 'try again later or raise';
    return make(
      'timeout',
      `${host} accepted the connection but did not answer ${operation} within the realm's operation timeout (${seconds(context.operationTimeoutMs)}). The server may be overloaded or hung: ${advice} the operation timeout in the realm's connection settings.`,
    );
  }
  const lost = /^(Connection closed before message response was received|Socket error)\. Message type: (\w+)/.exec(message);
  if (!lost) return undefined;
  const operation = operationName(lost[2]!);
  const reason = message.split('\n')[1]?.trim();
  // A TLS alert from the server (it wants a client certificate, refuses the protocol version or cipher) arrives
  // after the handshake seemed done, on the first request: the server speaks TLS and LDAP, and said why it stopped.
  const alert = reason === undefined ? undefined : /alert ([a-z0-9 _]+)/i.exec(reason)?.[1]?.replace(/^tlsv1\d? /i, '').replace(/_/g, ' ').trim();
  if (alert !== undefined || (reason !== undefined && /SSL routines/.test(reason))) {
    return make(
      'tls-failed',
      `${host} ended the TLS session during ${operation}${alert ? `: "${alert}"` : ''} (${reason}). The server's TLS settings refuse this connection: if it asks for a client certificate, Roster cannot give one; otherwise check the TLS versions and ciphers the server allows.`,
    );
  }
  const how =
    lost[1] !== 'Socket error' ? 'closed the connection' : /ECONNRESET/.test(message) ? 'reset the connection' : `broke the connection (${reason ?? 'socket error'})`;
  // The bind and StartTLS are the first request on a connection: a server that drops it without a word does not
  // speak LDAP there (an HTTP or other service, TLS expected from the first byte), far more often than a
  // directory that stopped at that very moment.
  if (lost[2] === 'BindRequest' || lost[2] === 'ExtendedRequest') return notLdap(host, context.url, `${how} at ${operation} without an LDAP answer`);
  return make(
    'host-unreachable',
    `${host} ${how} during ${operation}, before answering it. The directory service may have stopped or restarted: check that it runs, then try again.`,
  );
}

/** Something listens at the URL's host and port, but it does not answer in LDAP (`what` it did instead). */
function notLdap(host: string, url: string, what: string): RosterError {
  const ldaps = /^ldaps:/i.test(url);
  const scheme = ldaps
    ? 'Check the port: ldaps:// is usually 636.'
    : 'Check the port (389 for ldap://, 636 for ldaps://) and the scheme: a server that expects TLS from the first byte needs an ldaps:// URL.';
  return make(
    'host-unreachable',
    `Something answers at ${host}, but it does not speak LDAP: it ${what}. ${scheme} If it is the directory server, check that its LDAP service runs.`,
    { notLdap: true },
  );
}

/** An ldaps:// URL whose port answered, but not with TLS: a plain LDAP port, or no directory at all. */
function notTls(host: string, code: string): RosterError {
  return make(
    code.startsWith('ERR_SSL') ? 'tls-failed' : 'host-unreachable',
    `Something answers at ${host}, but it does not speak ldaps:// (LDAP over TLS): the TLS handshake got ${code.startsWith('ERR_SSL') ? 'an answer that is not TLS' : 'the connection closed'} (${code}). Check the port: ldaps:// is usually 636; a plain LDAP port (usually 389) needs an ldap:// URL, with StartTLS.`,
    { notLdap: true, tlsCode: code },
  );
}

/** Translates whatever ldapts or Node threw into a RosterError with a message a person can act on. */
export function translateLdapError(error: unknown, context: LdapErrorContext): RosterError {
  if (error instanceof RosterError) return error;
  const host = hostOf(context.url);
  const err = error as NodeJS.ErrnoException & { code?: string | number };
  const message = err instanceof Error ? err.message : String(error);

  if (err?.name === 'AbortError') return make('cancelled', 'Cancelled.');

  if (error instanceof ResultCodeError) {
    switch (error.code) {
      case 49: {
        const data = /data ([0-9a-f]{3})/i.exec(message)?.[1]?.toLowerCase();
        const explained = data ? AD_BIND_DATA_CODES[data] : undefined;
        const who = context.bindDn ? ` for ${context.bindDn}` : '';
        return make(
          'invalid-credentials',
          explained
            ? `Invalid credentials${who}: ${explained} (Active Directory code ${data}).`
            : `Invalid credentials${who}: the bind DN or password is wrong. Check both in the realm settings.`,
          data ? { adCode: data } : undefined,
        );
      }
      case 32:
        return make(
          'no-such-base',
          context.baseDn
            ? `The base DN ${context.baseDn} does not exist on ${host}. Check its spelling.`
            : `An entry Roster looked for does not exist on ${host}.`,
        );
      case 4:
        return make(
          'size-limit',
          `${host} stopped the search at its size limit. Roster pages every search; if this persists, lower the page size (AD allows at most 1000).`,
        );
      case 3:
        return make('timeout', `${host} stopped the search at its time limit. Narrow the filter or raise the operation timeout.`);
      case 50:
        return make(
          'insufficient-access',
          `The bind account ${context.bindDn ?? ''} may not read this part of the directory on ${host}. Ask the directory owner for read access.`,
        );
      case 8:
      case 13:
        return make('tls-failed', `${host} requires a protected connection for binds (LDAP signing / confidentiality required). Use ldaps or StartTLS.`);
      case 51:
      case 52:
        return make('host-unreachable', `${host} is busy or unavailable right now (${message}). Try again later or use another server.`);
      case 34:
        return make('invalid-input', `A DN is malformed: ${message}. Check the bind DN and base DN.`);
      default:
        return make('ldap-error', `${host} answered with LDAP error ${error.code}: ${message}`, { ldapCode: error.code });
    }
  }

  const pending = pendingRequestFailure(message, host, context);
  if (pending) return pending;

  const code = typeof err?.code === 'string' ? err.code : undefined;
  const ldaps = /^ldaps:/i.test(context.url);
  // What a TLS client sees when the other end is not a TLS server: bytes that are no TLS record, or a close.
  if (ldaps && (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG' || code === 'ERR_SSL_HTTP_REQUEST')) return notTls(host, code);
  if (ldaps && code === 'ECONNRESET' && /before secure TLS connection was established/.test(message)) return notTls(host, code);
  if (code === 'ECONNREFUSED')
    return make(
      'connection-refused',
      `Connection refused by ${host}: nothing listens on that port. Check the port (389 for ldap://, 636 for ldaps://) and that the directory service runs.`,
    );
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME')
    return make('host-unreachable', `The host name in ${context.url} could not be resolved. Check its spelling, or use the server's IP address.`);
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EADDRNOTAVAIL')
    return make('host-unreachable', `${host} cannot be reached from this computer (${code}). Check the network, VPN or firewall.`);
  if (code === 'ETIMEDOUT' || /timeout|timed out/i.test(message))
    return make(
      'timeout',
      `${host} did not answer in time. Check that the host and port are right and that a firewall does not drop the connection, or raise the timeout.`,
    );
  if (code === 'ECONNRESET' || code === 'EPIPE')
    return make(
      'host-unreachable',
      `${host} closed the connection. If the URL says ldaps://, check that the port really speaks TLS (636), or that the server is up.`,
    );
  if (code && TLS_UNTRUSTED.has(code))
    return make('tls-untrusted', `The certificate of ${host} is not trusted (${code}). Add the issuing CA certificate (PEM) to the realm.`, { tlsCode: code });
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID')
    return make('tls-hostname', `The certificate of ${host} is for another name (${message}). Connect with a host name the certificate lists.`, {
      tlsCode: code,
    });
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID')
    return make(
      'tls-expired',
      `The certificate of ${host} is ${code === 'CERT_HAS_EXPIRED' ? 'expired' : 'not valid yet'}. Ask the directory owner to renew it, or check this computer's clock.`,
      { tlsCode: code },
    );
  if (code?.startsWith('ERR_SSL') || code?.startsWith('ERR_TLS'))
    return make(
      'tls-failed',
      `The TLS handshake with ${host} failed (${code}). Check that the port speaks ${/^ldaps/i.test(context.url) ? 'ldaps' : 'StartTLS'}.`,
      { tlsCode: code },
    );
  return make('ldap-error', `LDAP operation on ${host} failed: ${message}`);
}
