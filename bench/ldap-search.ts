import { spawn } from 'node:child_process';
import { searchPages } from '../src-main/core/ldap/search';
import { withSession } from '../src-main/core/ldap/session';
import { startSlapd, type SlapdServer } from '../e2e/fixtures/slapd';

/** One measured case: Roster's paged search against ldapsearch on the same server, filter and attributes. */
export interface SearchBenchResult {
  flavor: 'openldap' | 'ad';
  entries: number;
  rosterMs: number;
  ldapsearchMs: number;
  ratio: number;
}

export const ATTRIBUTES = {
  openldap: ['uid', 'cn', 'givenName', 'sn', 'displayName', 'mail', 'telephoneNumber', 'departmentNumber', 'title', 'employeeNumber', 'entryUUID'],
  ad: [
    'sAMAccountName',
    'cn',
    'givenName',
    'sn',
    'displayName',
    'mail',
    'telephoneNumber',
    'department',
    'title',
    'employeeID',
    'objectGUID',
    'userAccountControl',
  ],
};
export const FILTER = { openldap: '(objectClass=inetOrgPerson)', ad: '(&(objectCategory=person)(objectClass=user))' };

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function timeRoster(server: SlapdServer, flavor: 'openldap' | 'ad'): Promise<{ ms: number; count: number }> {
  const started = performance.now();
  let count = 0;
  await withSession(
    { urls: [server.url], tls: 'none', verifyCertificate: true, bindDn: server.readerDn, connectTimeoutMs: 5_000, operationTimeoutMs: 120_000 },
    server.readerPassword,
    async (session) => {
      for await (const page of searchPages(session, {
        baseDn: server.baseDn,
        filter: FILTER[flavor],
        scope: 'sub',
        attributes: ATTRIBUTES[flavor],
        pageSize: 1000,
      }))
        count += page.length;
    },
  );
  return { ms: performance.now() - started, count };
}

export function timeLdapsearch(server: SlapdServer, flavor: 'openldap' | 'ad'): Promise<{ ms: number; count: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('ldapsearch', [
      '-x',
      '-LLL',
      '-H',
      server.url,
      '-D',
      server.readerDn,
      '-w',
      server.readerPassword,
      '-b',
      server.baseDn,
      '-E',
      'pr=1000/noprompt',
      FILTER[flavor],
      ...ATTRIBUTES[flavor],
    ]);
    let count = 0;
    let tail = '';
    child.stdout.on('data', (chunk: Buffer) => {
      const text = tail + chunk.toString('latin1');
      count += (text.match(/^dn:/gm) ?? []).length;
      tail = text.slice(text.lastIndexOf('\n') + 1);
      if (tail.startsWith('dn:')) count -= 1;
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve({ ms: performance.now() - started, count }) : reject(new Error(`ldapsearch exited ${code}`))));
  });
}

/** Starts a slapd with `entries` users and times both clients, alternating, `rounds` times each. */
export async function benchSearch(flavor: 'openldap' | 'ad', entries: number, rounds = 5): Promise<SearchBenchResult> {
  const server = await startSlapd({ flavor, users: entries });
  try {
    const roster: number[] = [];
    const reference: number[] = [];
    await timeRoster(server, flavor); // warm the server's caches and the JIT once
    for (let round = 0; round < rounds; round += 1) {
      const r = await timeRoster(server, flavor);
      const l = await timeLdapsearch(server, flavor);
      if (r.count !== entries || l.count !== entries) throw new Error(`Counts differ: roster ${r.count}, ldapsearch ${l.count}, expected ${entries}`);
      roster.push(r.ms);
      reference.push(l.ms);
    }
    const rosterMs = median(roster);
    const ldapsearchMs = median(reference);
    return { flavor, entries, rosterMs: Math.round(rosterMs), ldapsearchMs: Math.round(ldapsearchMs), ratio: Number((rosterMs / ldapsearchMs).toFixed(2)) };
  } finally {
    await server.stop();
  }
}
