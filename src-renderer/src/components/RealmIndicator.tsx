import type { Realm } from '#shared/model/realm';
import { fullTime } from '../lib/format-time';
import './status-bar.css';

/** What the status bar knows about a realm's reachability, from its last connection test. */
export function testState(realm: Realm): 'ok' | 'failed' | 'untested' {
  if (!realm.lastTest) return 'untested';
  return realm.lastTest.ok ? 'ok' : 'failed';
}

function tooltip(realm: Realm): string {
  const test = realm.lastTest;
  if (!test) return `${realm.name}: never tested. Open Realms and use "Test connection".`;
  return `${realm.name}: ${test.ok ? 'reachable' : 'failed'} (${fullTime(test.at)})\n${test.message}`;
}

/** A realm in the status bar: a coloured dot and its name, with the last test in the tooltip. */
export function RealmIndicator({ realm }: { realm: Realm }) {
  const state = testState(realm);
  const label = { ok: 'reachable', failed: 'failed', untested: 'never tested' }[state];
  return (
    <span className="status-realm" data-testid="realm-status" data-state={state} title={tooltip(realm)}>
      <span className={`dot dot--${state}`} aria-hidden="true" />
      {realm.name}
      <span className="visually-hidden">: {label}</span>
    </span>
  );
}
