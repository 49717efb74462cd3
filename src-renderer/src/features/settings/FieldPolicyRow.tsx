import type { FieldDefinition, FieldOwner } from '#shared/model/fields';
import { FIELD_OWNERS } from '#shared/model/fields';
import { useFieldsActions } from '../../stores/fields-store';
import { SavedFlash } from '../../components/SavedFlash';
import { FIELD_OWNER_LABELS, FIELD_TYPE_LABELS } from './field-labels';

interface FieldPolicyRowProps {
  field: FieldDefinition;
  /** When this row's policy was last saved, for its "Saved" flash. */
  savedAt: number | null;
  onRemove(): void;
}

/** One field of the catalogue: owner and required apply as soon as they change. */
export function FieldPolicyRow({ field, savedAt, onRemove }: FieldPolicyRowProps) {
  const { setPolicy } = useFieldsActions();
  return (
    <tr data-testid="field-policy" data-field={field.key} data-owner={field.owner}>
      <th scope="row">{field.label}</th>
      <td className="mono">{field.key}</td>
      <td>{FIELD_TYPE_LABELS[field.type]}</td>
      <td className="mono">
        {field.custom ? (
          field.ldapAttribute
        ) : (
          <span className="muted" title="Built-in fields follow each realm's attribute mapping">
            per realm
          </span>
        )}
      </td>
      <td>
        <select
          className="select select--cell"
          aria-label={`Owner of ${field.label}`}
          value={field.owner}
          onChange={(event) => void setPolicy(field.key, { owner: event.target.value as FieldOwner })}
        >
          {FIELD_OWNERS.map((owner) => (
            <option key={owner} value={owner}>
              {FIELD_OWNER_LABELS[owner]}
            </option>
          ))}
        </select>
      </td>
      <td className="policy-table__center">
        <input
          type="checkbox"
          className="policy-table__check"
          aria-label={`Required: ${field.label}`}
          checked={field.required}
          onChange={(event) => void setPolicy(field.key, { required: event.target.checked })}
        />
      </td>
      <td>
        <div className="row-actions">
          {savedAt !== null && <SavedFlash savedAt={savedAt} />}
          {field.custom && (
            <button type="button" className="button button--small" onClick={onRemove} aria-label={`Remove ${field.label}`}>
              Remove
            </button>
          )}
        </div>
      </td>
    </tr>
  );
}
