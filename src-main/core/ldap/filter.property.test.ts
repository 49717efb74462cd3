import fc from 'fast-check';
import { Attribute, Client } from 'ldapts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlapd, type SlapdServer } from '../../../e2e/fixtures/slapd';
import { propertyRuns, propertyTimeout } from '../testing/property-runs';
import { equalityWithin, escapeFilterValue } from './filter';
import { searchAll } from './search';
import { openSession, type LdapSession } from './session';

/*
 * RFC 4515 escaping, by property, on a real slapd: random values are stored on entries (a batch per case,
 * added over one root connection under an OU of their own), then each is searched by equality through
 * Roster's own filter builder, session and paged search. On an exact-match attribute (objectGUID:
 * octetStringMatch) the search finds exactly the entry holding the value, whatever it holds: * ( ) \ NUL,
 * filter syntax, escapes that look already done, any Unicode. On a case-ignoring text attribute
 * (description) it finds the entry, and only entries whose value matches the same way.
 * ROSTER_PROPERTY_RUNS counts values; they are stored in batches of up to 20.
 */

let server: SlapdServer;
let root: Client;
let session: LdapSession;
let batch = 0;

beforeAll(async () => {
  server = await startSlapd({ flavor: 'ad', users: 0 });
  root = new Client({ url: server.url });
  await root.bind(server.rootDn, server.rootPassword);
  session = await openSession(
    { urls: [server.url], tls: 'none', verifyCertificate: true, bindDn: server.readerDn, connectTimeoutMs: 5_000, operationTimeoutMs: 30_000 },
    server.readerPassword,
  );
}, 60_000);
afterAll(async () => {
  await session?.close();
  await root?.unbind().catch(() => undefined);
  await server?.stop();
});

const hasLoneSurrogate = (s: string) => /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);
/** What filters and escaping trip on, and text that looks like filter syntax or escapes already made. */
const FILTER_BITS = ['*', '(', ')', '\\', '\u0000', '\\2a', '\\5c', '\\', '&', '|', '!', '=', '~=', '>=', '<=', ')(uid=*', '*)(|(cn=*', ' ', 'é', '😀'];
const any = fc
  .oneof(
    fc.string({ unit: 'binary', minLength: 1, maxLength: 16 }),
    fc.array(fc.oneof(fc.constantFrom(...FILTER_BITS), fc.string({ maxLength: 3 })), { minLength: 1, maxLength: 6 }).map((p) => p.join('')),
  )
  .filter((v) => v !== '' && !hasLoneSurrogate(v));
/** Printable ASCII (the case-ignoring attribute's matching is then known exactly), at least one non-space. */
const printable = fc
  .oneof(
    fc.string({ unit: fc.constantFrom(...' !"#$%&\'()*+,-./09:;<=>?@AZ[\\]^_`az{|}~'), minLength: 1, maxLength: 12 }),
    fc.array(fc.constantFrom('*', '(', ')', '\\', '\\2a', 'a', 'A', ' ', 'b'), { minLength: 1, maxLength: 8 }).map((p) => p.join('')),
  )
  .filter((v) => v.trim() !== '');
/** caseIgnoreMatch on ASCII: case folded, leading and trailing spaces dropped, inner runs of spaces as one. */
const caseIgnore = (v: string) => v.toLowerCase().trim().replace(/ +/g, ' ');

/** Stores the values on fresh entries under a new OU; returns the OU's DN. */
async function store(values: { guid: string; description: string }[]): Promise<string> {
  batch += 1;
  const ou = `OU=b${batch},${server.baseDn}`;
  await root.add(ou, { objectClass: ['top', 'organizationalUnit'], ou: `b${batch}` });
  for (const [i, v] of values.entries()) {
    await root.add(`CN=e${i},${ou}`, [
      new Attribute({ type: 'objectClass', values: ['top', 'person', 'organizationalPerson', 'user'] }),
      new Attribute({ type: 'cn', values: [`e${i}`] }),
      new Attribute({ type: 'sn', values: ['x'] }),
      new Attribute({ type: 'objectGUID', values: [Buffer.from(v.guid, 'utf8')] }),
      new Attribute({ type: 'description', values: [v.description] }),
    ]);
  }
  return ou;
}

/** The cn of every entry under `ou` the filter selects, through Roster's session and paged search. */
async function found(ou: string, filter: string): Promise<string[]> {
  const entries = await searchAll(session, { baseDn: ou, filter, scope: 'one', attributes: ['cn'], pageSize: 100 });
  return entries.map((e) => e.text.cn?.[0] ?? '?').sort();
}

const BATCH = 20;
const values = fc.uniqueArray(fc.record({ guid: any, description: printable }), {
  minLength: 1,
  maxLength: BATCH,
  // Distinct stored bytes: the exact attribute then holds each value on one entry only.
  selector: (v) => Buffer.from(v.guid, 'utf8').toString('hex'),
});

describe('RFC 4515 escaping on a real slapd (property)', () => {
  it(
    'an equality search for a stored value finds exactly the entries holding it',
    async () => {
      await fc.assert(
        fc.asyncProperty(values, async (batchValues) => {
          const ou = await store(batchValues);
          for (const [i, v] of batchValues.entries()) {
            // As a resync looks a user up: the realm's user filter narrowed by an escaped equality.
            expect(await found(ou, equalityWithin('(objectClass=user)', 'objectGUID', v.guid)), `objectGUID ${JSON.stringify(v.guid)}`).toEqual([`e${i}`]);
            const same = batchValues.flatMap((w, j) => (caseIgnore(w.description) === caseIgnore(v.description) ? [`e${j}`] : [])).sort();
            expect(await found(ou, `(description=${escapeFilterValue(v.description)})`), `description ${JSON.stringify(v.description)}`).toEqual(same);
          }
        }),
        { numRuns: Math.max(1, Math.round(propertyRuns(300) / (BATCH / 2))) },
      );
    },
    propertyTimeout(120_000),
  );
});
