import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withServices } from '../../../e2e/fixtures/users';

describe('"Try with demo data"', () => {
  it('adds the bundled LDIF directory as an offline realm and imports its users; a second start finds them unchanged', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'roster-demo-'));
    try {
      await withServices(dataDir, async (call, services) => {
        const { realm, job } = await call('demo:start', {});
        expect(realm).toMatchObject({ name: 'Demo directory (offline)', kind: 'ldif-file', search: { baseDn: 'DC=demo,DC=example' } });
        const done = await services.jobs.wait(job.id);
        expect(done.state).toBe('done');
        expect(done.summary).toMatchObject({ created: 301, updated: 0, conflicts: 0, disabledUpstream: 38 });
        const page = await call('users:query', { query: { kind: 'external' }, limit: 1 });
        expect(page.total).toBe(301);
        expect(page.facets.realms[realm.id]).toBe(301);
        // Some demo users lack required fields: the data-quality markers have something to show.
        expect(page.facets.incomplete).toBeGreaterThan(0);

        const again = await call('demo:start', {});
        expect(again.realm.id).toBe(realm.id);
        expect((await services.jobs.wait(again.job.id)).summary).toMatchObject({ created: 0, matched: 301, unchanged: 301 });
        expect((await call('realms:list', {})).length).toBe(1);
      });
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
