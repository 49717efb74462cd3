import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** The request header that carries the per-run token on every API and event request. */
export const TOKEN_HEADER = 'x-roster-token';

/** A fresh per-run token: 256 random bits, URL-safe (letters, digits, `-` and `_`). */
export const newToken = (): string => randomBytes(32).toString('base64url');

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** Whether a header value is the token, compared in constant time (hashed first, so not even its length shows). */
export function tokenMatches(given: string | string[] | undefined, token: string): boolean {
  if (typeof given !== 'string') return false;
  return timingSafeEqual(digest(given), digest(token));
}

/**
 * A policy for the served page that adds what its meta CSP cannot say (frame-ancestors) without narrowing
 * what the meta policy allows: both apply, so every directive here is one the page's own policy also holds.
 */
export const PAGE_CSP = "frame-ancestors 'none'; base-uri 'none'; form-action 'none'; object-src 'none'";
/** Everything else (scripts, styles, JSON, errors) never runs anything when opened as a document. */
export const RESOURCE_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** Sent with every response, errors included. Deliberately no Access-Control-* header: no CORS at all. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'content-security-policy': RESOURCE_CSP,
};

/** The two names the loopback server answers to; any other Host (a rebound DNS name, another port) is refused. */
export const allowedHosts = (port: number): string[] => [`127.0.0.1:${port}`, `localhost:${port}`];

/**
 * Why a request must be refused before it reaches any route, or undefined when it may go on.
 * `api` marks the API and the event stream, which also need the token and a same-origin fetch.
 */
export function refusal(headers: IncomingHttpHeaders, port: number, token: string, api: boolean): string | undefined {
  const host = headers.host;
  if (host === undefined || !allowedHosts(port).includes(host)) return `This Roster server answers only at http://127.0.0.1:${port}/.`;
  if (headers.origin !== undefined && headers.origin !== `http://${host}`) return 'Requests from other web pages are refused.';
  if (!api) return undefined;
  const site = headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') return 'Requests from other web pages are refused.';
  if (!tokenMatches(headers[TOKEN_HEADER], token)) {
    return 'This request does not carry the access key of this Roster run: open the address printed by roster serve (or npm start).';
  }
  return undefined;
}
