import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { benchSearch, type SearchBenchResult } from './ldap-search';

// `npm run bench [-- --quick]`: each case on a private slapd, Roster vs ldapsearch in the same run.
const quick = process.argv.includes('--quick');
const cases: Array<['openldap' | 'ad', number]> = quick ? [['openldap', 10_000]] : [['openldap', 10_000], ['openldap', 50_000], ['ad', 50_000]];

const results: SearchBenchResult[] = [];
for (const [flavor, entries] of cases) {
  const result = await benchSearch(flavor, entries);
  results.push(result);
  process.stdout.write(`paged search ${flavor} ${entries.toLocaleString('en')} entries: roster ${result.rosterMs} ms, ldapsearch ${result.ldapsearchMs} ms, ratio ${result.ratio}\n`);
}
const dir = join(import.meta.dirname, 'results');
await mkdir(dir, { recursive: true });
await writeFile(join(dir, 'ldap-search.json'), JSON.stringify({ at: new Date().toISOString(), node: process.version, results }, null, 2));
