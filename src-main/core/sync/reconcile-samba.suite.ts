import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realmFromPreset } from '#shared/model/realm-presets';
import { incrementalMatchesFull, openAt, twinStore, type TestClock } from '../../../e2e/fixtures/reconcile-kit';
import { startSambaAd, type SambaAd } from '../../../e2e/fixtures/samba';
import { addRealm } from '../../../e2e/fixtures/users';
import type { ReconcileOptions } from './reconcile';

const MINUTE = 60_000;

/**
 * Incremental reconcile against Samba's AD DC: real update sequence numbers, a real RootDSE and NTDS Settings
 * object. Registered by samba.test.ts (only that file may start Samba: its ports are fixed, one per machine).
 */
export function describeIncrementalReconcileAgainstSamba(skip: boolean, skipNote: string): void {
  describe.skipIf(skip)(`Incremental reconcile against Samba's AD DC${skipNote}`, () => {
    let samba: SambaAd;
    const cleanup: string[] = [];
    beforeAll(async () => {
      samba = await startSambaAd({ users: 30 });
    }, 180_000);
    afterAll(async () => {
      await samba?.stop();
      for (const dir of cleanup) await rm(dir, { recursive: true, force: true });
    }, 60_000);

    async function seeded(clock: TestClock) {
      const dataDir = await mkdtemp(join(tmpdir(), 'roster-samba-reconcile-'));
      cleanup.push(dataDir);
      const services = await openAt(dataDir, clock);
      const input = realmFromPreset('active-directory', { name: 'test', urls: [samba.url], bindDn: samba.readerDn, baseDn: samba.baseDn, tls: 'none' });
      const realm = await addRealm(services, input, samba.readerPassword);
      await services.importer.streamImport(realm.id, services.importer.filterFor(realm.id, '*'));
      clock.ms += MINUTE;
      const first = await services.resync.reconcileNow(realm.id);
      expect(first.reconcile?.mode).toBe('full');
      clock.ms += MINUTE;
      return { dataDir, services, realmId: realm.id, password: { realmId: realm.id, password: samba.readerPassword } };
    }

    it("keeps the DC's highestCommittedUSN, name and invocationId, reads only entries with a higher uSNChanged, and ends as a full reconcile would", async () => {
      const clock = { ms: Date.parse('2026-06-01T09:00:00Z') };
      const store = await seeded(clock);
      const marker = store.services.realms.resolve(store.realmId).sync?.marker;
      expect(marker).toMatchObject({
        kind: 'usn',
        dsServiceName: expect.stringMatching(/^CN=NTDS Settings,CN=DC1,CN=Servers,CN=Default-First-Site-Name,CN=Sites,CN=Configuration,DC=test,DC=local$/i),
        dnsHostName: 'dc1.test.local',
        invocationId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
        usn: expect.stringMatching(/^\d+$/),
      });
      await samba.modify(await samba.dnOf('user00002'), { title: 'Changed on the DC', mobile: '+1 555 0102' });
      await samba.rename('user00003', 'renamed3');
      await samba.disable('user00004');
      await samba.withAdmin((client) => samba.dnOf('user00005').then((dn) => client.del(dn)));
      clock.ms += MINUTE;
      const stores = await twinStore(store.services, store.dataDir, clock, store.password);
      cleanup.push(stores.twinDir);
      try {
        const { incremental } = await incrementalMatchesFull(stores, store.realmId, clock);
        expect(incremental.reconcile).toMatchObject({ mode: 'incremental', since: `USN ${(marker as { usn: string }).usn} on dc1.test.local` });
        // The three changed accounts, and whatever Samba itself stamped meanwhile (logon times of the accounts that bound).
        expect(incremental.reconcile!.entriesRead).toBeGreaterThanOrEqual(3);
        expect(incremental.reconcile!.entriesRead).toBeLessThan(8);
        expect(stores.first.users.resolve('user00002').fields.title).toBe('Changed on the DC');
        expect(stores.first.users.resolve('renamed3').origin?.dn).toMatch(/^CN=renamed3,OU=Staff,DC=test,DC=local$/i);
        expect(stores.first.users.resolve('user00004').origin?.directoryEnabled).toBe(false);
        expect(stores.first.users.resolve('user00005').origin?.missingSince).toBeDefined();
      } finally {
        await stores.close();
      }
    });

    it("follows a manager's rename into the DNs that point at it (AD changes them without stamping the entries that hold them)", async () => {
      const clock = { ms: Date.parse('2026-07-01T09:00:00Z') };
      await samba.modify(await samba.dnOf('user00010'), { manager: await samba.dnOf('user00011') });
      const store = await seeded(clock);
      expect(store.services.users.resolve('user00010').fields.manager).toBe(await samba.dnOf('user00011'));
      await samba.rename('user00011', 'renamed11');
      clock.ms += MINUTE;
      const stores = await twinStore(store.services, store.dataDir, clock, store.password);
      cleanup.push(stores.twinDir);
      try {
        const { incremental } = await incrementalMatchesFull(stores, store.realmId, clock);
        expect(incremental.reconcile?.mode).toBe('incremental');
        expect(stores.first.users.resolve('user00010').fields.manager).toBe(await samba.dnOf('renamed11'));
      } finally {
        await stores.close();
      }
    });

    it('catches on the next reconcile what changed while one ran', async () => {
      const clock = { ms: Date.parse('2026-08-01T09:00:00Z') };
      const store = await seeded(clock);
      const during: Record<string, string> = {};
      const hold: ReconcileOptions['checkpoint'] = async (point) => {
        const sam = { 'state-read': 'user00020', 'changes-read': 'user00021', swept: 'user00022' }[point];
        during[sam] = `During ${point}`;
        await samba.modify(await samba.dnOf(sam), { title: during[sam]! });
      };
      expect((await store.services.resync.reconcileNow(store.realmId, { checkpoint: hold })).reconcile?.mode).toBe('incremental');
      clock.ms += MINUTE;
      const stores = await twinStore(store.services, store.dataDir, clock, store.password);
      cleanup.push(stores.twinDir);
      try {
        await incrementalMatchesFull(stores, store.realmId, clock);
        for (const [sam, title] of Object.entries(during)) expect(stores.first.users.resolve(sam).fields.title).toBe(title);
      } finally {
        await stores.close();
      }
    });

    it('reads the whole realm, and says why, when the markers name another DC or another invocationId', async () => {
      const clock = { ms: Date.parse('2026-09-01T09:00:00Z') };
      const { services, realmId } = await seeded(clock);
      const tamper = (change: Record<string, string>) =>
        services.store.update((data) => {
          const realm = data.realms.find((r) => r.id === realmId)!;
          realm.sync = { ...realm.sync!, marker: { ...realm.sync!.marker, ...change } as NonNullable<typeof realm.sync>['marker'] };
        });
      // As if the last reconcile had read DC2 of the domain.
      await tamper({
        dsServiceName: 'CN=NTDS Settings,CN=DC2,CN=Servers,CN=Default-First-Site-Name,CN=Sites,CN=Configuration,DC=test,DC=local',
        dnsHostName: 'dc2.test.local',
      });
      expect((await services.resync.reconcileNow(realmId)).reconcile).toMatchObject({
        mode: 'full',
        reason: "another domain controller answered (dc1.test.local instead of dc2.test.local); update sequence numbers are each DC's own",
      });
      // As if DC1 had been restored from a backup since.
      await tamper({ invocationId: '00000000-0000-0000-0000-000000000001' });
      expect((await services.resync.reconcileNow(realmId)).reconcile).toMatchObject({
        mode: 'full',
        reason:
          'the domain controller dc1.test.local has a new invocationId (its database was restored from a backup), so its update sequence numbers were reused',
      });
      expect((await services.resync.reconcileNow(realmId)).reconcile?.mode).toBe('incremental');
      await services.close();
    });
  });
}
