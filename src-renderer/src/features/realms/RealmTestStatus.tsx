import type { Realm } from '#shared/model/realm';
import { realmActivity } from '../../stores/realms-store';

/** The last "Test connection" of a saved realm: ok or failed and when, the message in the tooltip. */
export function RealmTestStatus({ realm }: { realm: Realm }) {
  const { test } = realmActivity(realm);
  return (
    <span className={`test-status test-status--${test.state === 'file' ? 'untested' : test.state}`} data-testid="realm-test-status" data-state={test.state} title={test.title}>
      {(test.state === 'ok' || test.state === 'failed') && <span aria-hidden="true">{test.state === 'ok' ? '✓ ' : '✗ '}</span>}
      {test.text}
    </span>
  );
}
