import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { benchExport } from './export';
import { benchImport, type ImportBenchResult } from './import';
import { benchSearch, type SearchBenchResult } from './ldap-search';
import { benchUserStore, type StoreBenchResult } from './users-store';

// `npm run bench [-- --quick] [-- --only search|import|store|export]`: each case on private data, Roster vs a plain reference in the same run.
const quick = process.argv.includes('--quick');
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
const dir = join(import.meta.dirname, 'results');
await mkdir(dir, { recursive: true });

if (!only || only === 'search') {
  const cases: Array<['openldap' | 'ad', number]> = quick
    ? [['openldap', 10_000]]
    : [
        ['openldap', 10_000],
        ['openldap', 50_000],
        ['ad', 50_000],
      ];
  const results: SearchBenchResult[] = [];
  for (const [flavor, entries] of cases) {
    const result = await benchSearch(flavor, entries);
    results.push(result);
    process.stdout.write(
      `paged search ${flavor} ${entries.toLocaleString('en')} entries: roster ${result.rosterMs} ms, ldapsearch ${result.ldapsearchMs} ms, ratio ${result.ratio}\n`,
    );
  }
  await writeFile(join(dir, 'ldap-search.json'), JSON.stringify({ at: new Date().toISOString(), node: process.version, results }, null, 2));
}

if (!only || only === 'import') {
  const cases: Array<['openldap' | 'ad', number]> = quick
    ? [['openldap', 10_000]]
    : [
        ['openldap', 100_000],
        ['ad', 100_000],
      ];
  const results: ImportBenchResult[] = [];
  for (const [flavor, entries] of cases) {
    const r = await benchImport(flavor, entries);
    results.push(r);
    process.stdout.write(
      `import ${flavor} ${entries.toLocaleString('en')} users: roster ${r.importMs} ms (reading ${r.readMs} ms), ldapsearch ${r.ldapsearchMs} ms, ratio ${r.ratio}\n`,
    );
  }
  await writeFile(join(dir, 'import.json'), JSON.stringify({ at: new Date().toISOString(), node: process.version, results }, null, 2));
}

if (!only || only === 'store') {
  const results: StoreBenchResult[] = [];
  for (const users of quick ? [10_000] : [100_000]) {
    const r = await benchUserStore(users);
    results.push(r);
    process.stdout.write(
      `user store ${users.toLocaleString('en')} external users (${r.fileMb} MB): load ${r.loadMs} ms (read+parse ${r.loadReferenceMs} ms); ` +
        `durable edit median ${r.editMedianMs} ms, p95 ${r.editP95Ms} ms (bare append+fdatasync ${r.editReferenceMs} ms); ` +
        `search keystroke median ${r.keystrokeMedianMs} ms, max ${r.keystrokeMaxMs} ms (Array.filter ${r.keystrokeReferenceMs} ms); ` +
        `first sort ${r.firstSortMs} ms; keystroke after an edit ${r.keystrokeAfterEditMs} ms\n`,
    );
  }
  await writeFile(join(dir, 'user-store.json'), JSON.stringify({ at: new Date().toISOString(), node: process.version, results }, null, 2));
}

if (!only || only === 'export') {
  const r = await benchExport(quick ? 10_000 : 100_000);
  process.stdout.write(
    `export ${r.users.toLocaleString('en')} users x ${r.columns} columns: reference (csv-stringify, one write) ${r.referenceMs} ms (${r.referenceRounds.join(', ')}); ` +
      `first after opening the store: reference ${r.cold.referenceMs} ms, CSV ${r.cold.csvMs} ms\n`,
  );
  for (const c of r.cases) {
    process.stdout.write(
      `  ${c.format} ${c.content}: ${c.users.toLocaleString('en')} users, ${c.ms} ms (${c.rounds.join(', ')}), ${c.mb} MB, ratio ${c.ratio}\n`,
    );
  }
  for (const m of r.memory) {
    process.stdout.write(
      `  xlsx snapshot ${m.users.toLocaleString('en')} users: ${m.ms} ms, RSS ${m.rssBeforeMb} MB before, peak ${m.rssPeakMb} MB (+${m.growthMb} MB), process high-water mark ${m.maxRssMb} MB\n`,
    );
  }
  await writeFile(join(dir, 'export.json'), JSON.stringify({ at: new Date().toISOString(), node: process.version, result: r }, null, 2));
}

if (!only || only === 'helpdesk') {
  const { benchHelpdesk } = await import('./helpdesk');
  const results = [];
  const cases: Array<['openldap' | 'ad', boolean]> = [
    ['openldap', false],
    ['ad', false],
    ['openldap', true],
  ];
  for (const [flavor, startTls] of cases) {
    const r = await benchHelpdesk(flavor, quick ? 10_000 : 100_000, { startTls });
    results.push(r);
    process.stdout.write(
      `help-desk resync ${flavor}${startTls ? ' over StartTLS' : ''} ${r.entries.toLocaleString('en')} entries: open + candidates + diff ${r.flowMs} ms (open ${r.openMs}, candidates ${r.candidatesMs}, diff ${r.previewMs}), ` +
        `one ldapsearch ${r.ldapsearchMs} ms, ratio ${r.ratio} (median of ${r.rounds} rounds)\n`,
    );
  }
  await writeFile(join(dir, 'helpdesk.json'), JSON.stringify({ at: new Date().toISOString(), node: process.version, results }, null, 2));
}

if (!only || only === 'ui') {
  const { benchUi } = await import('./ui');
  const r = await benchUi(quick ? 10_000 : 100_000);
  process.stdout.write(
    `ui ${r.users.toLocaleString('en')} users in Chromium: load → rows painted ${r.loadMs.join(' / ')} ms (first after opening the store, then reloads); ` +
      `sort by full name ${r.sortMs} ms; keystroke → rows painted median ${r.keystrokeMedianMs} ms, max ${r.keystrokeMaxMs} ms (first letter max ${r.firstLetterMaxMs} ms; ` +
      `reference, a bare call + paint: median ${r.floorMedianMs} ms, max ${r.floorMaxMs} ms); ` +
      `scroll ${r.scroll.screens} screens: longest frame ${r.scroll.longestFrameMs} ms, ${r.scroll.framesOver50} over 50 ms, ${r.scroll.framesWithPlaceholders}/${r.scroll.frames} frames with placeholders, settled ${r.scroll.settleMs} ms after; ` +
      `open a user median ${r.openMedianMs} ms (${r.openMs.join(', ')})\n`,
  );
  await writeFile(join(dir, 'ui.json'), JSON.stringify({ at: new Date().toISOString(), node: process.version, result: r }, null, 2));
}

if (!only || only === 'reconcile') {
  const { benchReconcile } = await import('./reconcile');
  const results = [];
  for (const flavor of ['openldap', 'ad'] as const) {
    const r = await benchReconcile(flavor, quick ? 10_000 : 100_000);
    results.push(r);
    process.stdout.write(
      `reconcile ${flavor} ${r.entries.toLocaleString('en')} users, ${r.modified} modified, ${r.renamed} renamed, ${r.deleted} deleted: ` +
        `incremental ${r.incrementalMs} ms (${r.entriesRead} entries read, ${r.idsSwept} ids swept; ${r.marker}), full ${r.fullMs} ms (before: ${r.beforeMs} ms), ` +
        `ldapsearch of the whole realm ${r.ldapsearchMs} ms (of its ids only ${r.ldapsearchIdsMs} ms), ratios ${r.incrementalRatio} / ${r.fullRatio}\n`,
    );
  }
  await writeFile(join(dir, 'reconcile.json'), JSON.stringify({ at: new Date().toISOString(), node: process.version, results }, null, 2));
}
