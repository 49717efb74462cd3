import { useState } from 'react';
import type { FieldDefinition } from '#shared/model/fields';
import { useFields, useFieldsActions, useFieldsStatus } from '../../stores/fields-store';
import { AddFieldForm } from './AddFieldForm';
import { FieldPolicyRow } from './FieldPolicyRow';
import { RemoveFieldDialog } from './RemoveFieldDialog';

/** Settings → Fields: who owns each field on external users (the attribute locks), which are required, custom fields. */
export function FieldsSection() {
  const fields = useFields();
  const { loaded, loadError, policyError, saved } = useFieldsStatus();
  const { load } = useFieldsActions();
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<FieldDefinition | null>(null);
  const failedLabel = policyError ? (fields.find((f) => f.key === policyError.key)?.label ?? policyError.key) : '';
  return (
    <section className="settings-section" aria-labelledby="settings-fields-title">
      <div className="settings-section__head">
        <h2 id="settings-fields-title">Fields and attribute locks</h2>
        {!adding && (
          <button type="button" className="button" onClick={() => setAdding(true)}>
            Add custom field…
          </button>
        )}
      </div>
      <p className="settings-section__intro">
        <strong>Directory</strong> locks a field: on external users it is read-only and every resync overwrites it. <strong>Local</strong> keeps Roster’s value:
        editable, kept on resync, and exported as a completion where the directory lacks or differs from it. Required fields without a value mark a user
        incomplete.
      </p>
      {loadError && (
        <p className="banner banner--error" role="alert">
          Could not load the fields: {loadError.message}{' '}
          <button type="button" className="link-button" onClick={() => void load()}>
            Retry
          </button>
        </p>
      )}
      {policyError && (
        <p className="banner banner--error" role="alert">
          Could not change {failedLabel}: {policyError.error.message}
        </p>
      )}
      {adding && <AddFieldForm onDone={() => setAdding(false)} />}
      {!loaded && !loadError && <p className="muted">Loading fields…</p>}
      {fields.length > 0 && (
        <table className="policy-table" aria-labelledby="settings-fields-title">
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Key</th>
              <th scope="col">Type</th>
              <th scope="col">LDAP attribute</th>
              <th scope="col">Owner</th>
              <th scope="col" className="policy-table__center">
                Required
              </th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {fields.map((field) => (
              <FieldPolicyRow key={field.key} field={field} savedAt={saved?.key === field.key ? saved.at : null} onRemove={() => setRemoving(field)} />
            ))}
          </tbody>
        </table>
      )}
      {removing && <RemoveFieldDialog field={removing} onClose={() => setRemoving(null)} />}
    </section>
  );
}
