import { MAPPABLE_FIELDS } from '#shared/model/realm';
import { FIELD_LABELS, KIND_LABELS } from './realm-labels';
import { describedBy } from '../../lib/field-aria';
import { useDraftValue, useFormActions } from './realm-form-hooks';
import { FormSection } from './FormSection';
import type { FieldErrors } from './realm-validation';

/**
 * Which LDAP attributes fill each Roster field, in order: the first with a value wins (`displayName, cn,
 * givenName+sn`); `a+b` joins two attributes with a space. An empty row leaves the field unmapped.
 */
export function MappingSection({ errors }: { errors: FieldErrors }) {
  const mapping = useDraftValue((d) => d.mapping);
  const kind = useDraftValue((d) => d.kind);
  const { edit, applyPreset } = useFormActions();
  const action = (
    <button type="button" className="button button--small" onClick={applyPreset}>
      Apply {KIND_LABELS[kind]} preset
    </button>
  );
  return (
    <FormSection title="Attribute mapping" action={action}>
      <table className="mapping">
        <thead>
          <tr>
            <th scope="col">Roster field</th>
            <th scope="col">LDAP attributes, first with a value wins</th>
          </tr>
        </thead>
        <tbody>
          {MAPPABLE_FIELDS.map((field) => {
            const id = `realm-map-${field}`;
            const error = errors[`mapping.${field}`];
            return (
              <tr key={field}>
                <th scope="row">
                  <label htmlFor={id}>{FIELD_LABELS[field]}</label>
                </th>
                <td>
                  {/* The row header is the input's label: a title alone is no name a screen reader can rely on. Inside
                      the "Attribute mapping" group, so "Display name" here is not the realm's "Name" field. */}
                  <input
                    id={id}
                    className="input input--cell mono"
                    title={`LDAP attributes for ${FIELD_LABELS[field]}, in order: the first with a value wins (a+b joins two with a space)`}
                    value={mapping[field]}
                    placeholder="not mapped"
                    spellCheck={false}
                    data-testid={`mapping-${field}`}
                    onChange={(event) => edit((d) => ({ ...d, mapping: { ...d.mapping, [field]: event.target.value } }), `mapping.${field}`)}
                    {...describedBy(id, error)}
                  />
                  {error && (
                    <p className="field__error" id={`${id}-error`}>
                      {error}
                    </p>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </FormSection>
  );
}
