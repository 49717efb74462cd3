import type { Realm } from '../../../../src-shared/model/realm';
import { fullTime, timeAgo } from '../../lib/format-time';
import { testState } from '../../components/RealmIndicator';

/** The last "Test connection" of a saved realm: ok or failed and when, the message in the tooltip. */
export function RealmTestStatus({ realm }: { realm: Realm }) {
  const test = realm.lastTest;
  const state = testState(realm);
  if (!test && realm.kind === 'ldif-file') return <span className="test-status test-status--untested">Offline file</span>;
  if (!test) return <span className="test-status test-status--untested">Never tested</span>;
  return (
    <span className={`test-status test-status--${state}`} data-state={state} title={`${fullTime(test.at)}\n${test.message}`}>
      <span aria-hidden="true">{test.ok ? '✓ ' : '✗ '}</span>
      {test.ok ? 'OK' : 'Failed'} · {timeAgo(test.at)}
    </span>
  );
}
