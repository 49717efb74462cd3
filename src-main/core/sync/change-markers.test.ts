import { describe, expect, it } from 'vitest';
import { STANDARD_FIELDS } from '#shared/model/fields';
import type { ChangeMarker, RealmRecord } from '#shared/model/realm';
import { realmFromPreset } from '#shared/model/realm-presets';
import {
  changedSinceFilter,
  csnAt,
  csnMs,
  generalizedTime,
  generalizedTimeMs,
  nextMarker,
  planReconcile,
  readingFingerprint,
  type ServerState,
} from './change-markers';

const fields = STANDARD_FIELDS.map((f) => ({ ...f, custom: false }));
const ad = (): RealmRecord => ({
  ...realmFromPreset('active-directory', { name: 'corp', urls: ['ldap://dc1'], bindDn: 'CN=r', baseDn: 'DC=corp,DC=example', tls: 'none' }),
  id: 'r1',
  order: 0,
});
const usn: ChangeMarker = { kind: 'usn', usn: '1000', invocationId: 'aaaa', dsServiceName: 'CN=NTDS Settings,CN=DC1', dnsHostName: 'dc1.corp.example' };
const withMarker = (realm: RealmRecord, marker: ChangeMarker): RealmRecord => ({
  ...realm,
  sync: { marker, fingerprint: readingFingerprint(realm, fields), at: '2026-01-01T00:00:00.000Z' },
});
const dc1: ServerState = { kind: 'usn', usn: '1200', dsServiceName: 'CN=NTDS Settings,CN=DC1', dnsHostName: 'dc1.corp.example', invocationId: 'AAAA' };

describe('change markers', () => {
  it('asks for uSNChanged above the USN (a counter: no overlap), entryCSN and modifyTimestamp from the overlap before', () => {
    expect(changedSinceFilter('(objectClass=user)', usn)).toBe('(&(objectClass=user)(uSNChanged>=1001))');
    expect(changedSinceFilter('objectClass=user', { ...usn, usn: '18446744073709551615' })).toBe('(&(objectClass=user)(uSNChanged>=18446744073709551616))');
    const csn = '20261201093000.123456Z#000000#001#000000';
    expect(changedSinceFilter('(x=y)', { kind: 'csn', csn, server: 's' }, 60_000)).toBe('(&(x=y)(entryCSN>=20261201092900.123000Z#000000#000#000000))');
    expect(changedSinceFilter('(x=y)', { kind: 'timestamp', time: '20261201093000Z', server: 's' })).toBe('(&(x=y)(modifyTimestamp>=20261201092000Z))');
  });

  it('never puts a stored marker that is not one into a filter', () => {
    for (const marker of [
      { ...usn, usn: '1)(objectClass=*' },
      { kind: 'csn', csn: '*)(x=*', server: 's' },
      { kind: 'timestamp', time: '20261201093000Z)(|(a=*', server: 's' },
    ] as ChangeMarker[]) {
      expect(() => changedSinceFilter('(x=y)', marker)).toThrow(/Unusable change marker/);
      expect(planReconcile(withMarker(ad(), marker), fields, dc1)).toEqual({
        mode: 'full',
        reason: 'the change markers kept from the last reconcile are unreadable',
      });
    }
  });

  it('reads times the server wrote, to the millisecond, and writes them back in its forms', () => {
    expect(generalizedTimeMs('20261201093000Z')).toBe(Date.UTC(2026, 11, 1, 9, 30, 0));
    expect(generalizedTimeMs('20261201093000.5Z')).toBe(Date.UTC(2026, 11, 1, 9, 30, 0, 500));
    expect(generalizedTimeMs('20261201093000+0100')).toBeUndefined();
    expect(generalizedTime(Date.UTC(2026, 11, 1, 9, 30, 0, 999))).toBe('20261201093000Z');
    expect(csnMs('20261201093000.123456Z#000000#000#000000')).toBe(Date.UTC(2026, 11, 1, 9, 30, 0, 123));
    expect(csnAt(Date.UTC(2026, 11, 1, 9, 30, 0, 123))).toBe('20261201093000.123000Z#000000#000#000000');
  });

  it('reads the whole realm, saying why, whenever the markers cannot vouch for what changed', () => {
    const realm = withMarker(ad(), usn);
    const reason = (r: RealmRecord, state: ServerState | undefined, options = {}) => {
      const plan = planReconcile(r, fields, state, options);
      return plan.mode === 'full' ? plan.reason : 'incremental';
    };
    expect(reason(realm, dc1)).toBe('incremental');
    expect(reason(realm, dc1, { full: true })).toBe('a full reconcile was asked for');
    expect(reason(ad(), dc1)).toBe('first reconcile of this realm (no change markers kept from an earlier one)');
    expect(reason({ ...realm, kind: 'ldif-file' }, undefined)).toBe('an LDIF file has no change markers, so it is always read whole');
    expect(reason({ ...realm, search: { ...realm.search, userFilter: '(objectClass=person)' } }, dc1)).toBe(
      "the realm's search, mapping or fields changed since the last reconcile",
    );
    expect(reason(withMarker({ ...ad(), mapping: { ...ad().mapping, department: ['memberOf'] } }, usn), dc1)).toBe(
      'the mapping reads memberOf, which the directory changes without marking the entry changed',
    );
    expect(reason(realm, { ...dc1, usn: '999' })).toBe("the domain controller's highestCommittedUSN went back (999 < 1000)");
    expect(reason(realm, { ...dc1, invocationId: undefined, invocationProblem: 'CN=NTDS Settings,CN=DC1 could not be read' })).toBe(
      "the domain controller's invocationId could not be read (CN=NTDS Settings,CN=DC1 could not be read), so a DC restored from a backup could not be told apart",
    );
    expect(reason(realm, { kind: 'timestamp', server: 'ldap://dc1' })).toBe(
      'the server now keeps only modification times (modifyTimestamp) instead of update sequence numbers (uSNChanged)',
    );
    const stamped = withMarker(ad(), { kind: 'timestamp', time: '20261201093000Z', server: 'ldap://a' });
    expect(reason(stamped, { kind: 'timestamp', server: 'ldap://b' })).toBe('another server answered (ldap://b instead of ldap://a)');
  });

  it('leaves the marker where the server stood before reading; a modifyTimestamp marker is the newest stamp less the read, never going back', () => {
    expect(nextMarker(dc1, usn, undefined, 5000)).toEqual({
      kind: 'usn',
      usn: '1200',
      invocationId: 'AAAA',
      dsServiceName: dc1.dsServiceName,
      dnsHostName: 'dc1.corp.example',
    });
    expect(nextMarker({ ...dc1, invocationId: undefined }, usn, undefined, 0)).toBeUndefined();
    const state: ServerState = { kind: 'timestamp', server: 's' };
    expect(nextMarker(state, undefined, '20261201093000Z', 2500)).toEqual({ kind: 'timestamp', time: '20261201092956Z', server: 's' });
    const kept: ChangeMarker = { kind: 'timestamp', time: '20261201100000Z', server: 's' };
    expect(nextMarker(state, kept, '20261201093000Z', 0)).toBe(kept);
    expect(nextMarker(state, kept, undefined, 0)).toBe(kept);
    expect(nextMarker({ kind: 'timestamp', server: 'other' }, kept, undefined, 0)).toBeUndefined();
  });
});
