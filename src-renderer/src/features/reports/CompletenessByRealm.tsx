import { realmMissingQuery, type FieldCompleteness, type RealmCompleteness } from '#shared/model/report';
import { chartOrder, realmCellLabel, realmCellTitle, useReportsActions } from './reports-store';

const count = (n: number) => n.toLocaleString('en-US');

/**
 * The chart's counts split by realm (internal users last): a field whose missing values all come from one
 * realm shows it at a glance. Each count opens that realm's users missing the field.
 */
export function CompletenessByRealm({ fields, realms }: { fields: FieldCompleteness[]; realms: RealmCompleteness[] }) {
  const { showUsers } = useReportsActions();
  return (
    <section className="reports-section" aria-labelledby="completeness-realm-title">
      <div className="reports-section__head">
        <h2 id="completeness-realm-title">Completeness by realm</h2>
        <p className="muted">Users missing each field in each realm. A marked count holds every missing value of its field.</p>
      </div>
      <div className="realm-completeness__scroll">
        <table className="realm-completeness" data-testid="completeness-by-realm">
          <thead>
            <tr>
              <th scope="col">Field</th>
              {realms.map((realm) => (
                <th key={realm.realmId ?? 'internal'} scope="col" data-realm={realm.realmId ?? 'internal'}>
                  {realm.name}
                  <span className="realm-completeness__users muted">
                    {count(realm.users)} {realm.users === 1 ? 'user' : 'users'}
                  </span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {chartOrder(fields).map((field) => (
              <tr key={field.key} data-field={field.key}>
                <th scope="row">
                  {field.label}
                  {field.required && <span className="badge">required</span>}
                </th>
                {realms.map((realm) => {
                  const missing = realm.missing[field.key] ?? 0;
                  const all = missing > 0 && missing === field.missing;
                  return (
                    <td key={realm.realmId ?? 'internal'} data-realm={realm.realmId ?? 'internal'} data-missing={missing} data-all={all || undefined}>
                      {missing === 0 ? (
                        <span className="muted" aria-label={realmCellLabel(field, realm)}>
                          0
                        </span>
                      ) : (
                        <button
                          type="button"
                          className={all ? 'realm-completeness__cell realm-completeness__cell--all' : 'realm-completeness__cell'}
                          aria-label={realmCellLabel(field, realm)}
                          title={realmCellTitle(field, realm)}
                          onClick={() => showUsers(`Missing ${field.label} in ${realm.name}`, realmMissingQuery(realm.realmId, field.key))}
                        >
                          {count(missing)}
                          <span className="muted"> ({Math.round((missing / Math.max(1, realm.users)) * 100)}%)</span>
                        </button>
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
