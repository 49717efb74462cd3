import { useState, type FormEvent } from 'react';
import { FIELD_OWNERS, FIELD_TYPES } from '#shared/model/fields';
import type { AppError } from '#shared/result';
import { Field } from '../../components/Field';
import { describedBy } from '../../lib/field-aria';
import { useFields, useFieldsActions } from '../../stores/fields-store';
import { checkCustomField, EMPTY_CUSTOM_FIELD, type CustomFieldDraft } from './custom-field-draft';
import { FIELD_OWNER_LABELS, FIELD_TYPE_LABELS } from './field-labels';

/** Adds a field mapped to any LDAP attribute (e.g. extensionAttribute1 as "Cost center"). */
export function AddFieldForm({ onDone }: { onDone(): void }) {
  const fields = useFields();
  const { add } = useFieldsActions();
  const [draft, setDraft] = useState<CustomFieldDraft>(EMPTY_CUSTOM_FIELD);
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const check = checkCustomField(draft, fields);
  const errors = tried && !check.ok ? { ...check.errors } : {};
  const serverField = error?.details?.field;
  if (error && typeof serverField === 'string') errors[serverField] = error.message;
  const edit = (patch: Partial<CustomFieldDraft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setError(null);
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setTried(true);
    if (!check.ok || busy) {
      const form = event.currentTarget;
      requestAnimationFrame(() => form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    setBusy(true);
    const failure = await add(check.input);
    setBusy(false);
    if (failure) setError(failure);
    else onDone();
  };

  const text = (id: string, name: 'key' | 'label' | 'ldapAttribute', label: string, hint: string, mono = false) => (
    <Field id={id} label={label} error={errors[name]} hint={hint}>
      <input
        id={id}
        className={mono ? 'input input--medium mono' : 'input input--medium'}
        value={draft[name]}
        spellCheck={false}
        autoComplete="off"
        onChange={(event) => edit({ [name]: event.target.value })}
        {...describedBy(id, errors[name], true)}
      />
    </Field>
  );

  return (
    <form className="add-field" onSubmit={(event) => void submit(event)} noValidate aria-labelledby="add-field-title">
      <h3 id="add-field-title" className="add-field__title">
        Add custom field
      </h3>
      {text('new-field-label', 'label', 'Label', 'As people see it, e.g. Cost center.')}
      {text('new-field-key', 'key', 'Key', 'As exports and the CLI name it: a letter, then letters and digits, e.g. costCenter.', true)}
      <Field id="new-field-type" label="Type">
        <select id="new-field-type" className="select" value={draft.type} onChange={(event) => edit({ type: event.target.value as CustomFieldDraft['type'] })}>
          {FIELD_TYPES.map((type) => (
            <option key={type} value={type}>
              {FIELD_TYPE_LABELS[type]}
            </option>
          ))}
        </select>
      </Field>
      {text('new-field-attribute', 'ldapAttribute', 'LDAP attribute', 'Read from every realm, e.g. extensionAttribute1 or departmentNumber.', true)}
      <Field id="new-field-owner" label="Owner">
        <select
          id="new-field-owner"
          className="select"
          value={draft.owner}
          onChange={(event) => edit({ owner: event.target.value as CustomFieldDraft['owner'] })}
        >
          {FIELD_OWNERS.map((owner) => (
            <option key={owner} value={owner}>
              {FIELD_OWNER_LABELS[owner]}
            </option>
          ))}
        </select>
      </Field>
      <div className="field field--bare">
        <div className="field__control">
          <div className="checkbox">
            <input id="new-field-required" type="checkbox" checked={draft.required} onChange={(event) => edit({ required: event.target.checked })} />
            <label htmlFor="new-field-required">Required</label>
          </div>
        </div>
      </div>
      {error && typeof serverField !== 'string' && (
        <p className="banner banner--error" role="alert">
          Could not add the field: {error.message}
        </p>
      )}
      <div className="add-field__actions">
        <button type="button" className="button" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="button button--primary" disabled={busy} aria-busy={busy}>
          {busy ? 'Adding…' : 'Add field'}
        </button>
      </div>
    </form>
  );
}
