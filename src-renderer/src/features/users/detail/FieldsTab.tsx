import { useRef, type FormEvent } from 'react';
import type { UserDetail } from '#shared/model/user';
import { useDetailActions, useDetailEdits, useDetailSaveStatus } from './user-detail-store';
import { SavedFlash } from '../../../components/SavedFlash';
import { FieldRow } from './FieldRow';
import { UsernameRow } from './UsernameRow';
import { draftErrors, isDirty, isMissing, USERNAME_KEY } from './user-draft';

const SAVE_KEYS = /Mac|iPhone|iPad/.test(navigator.userAgent) ? '⌘S' : 'Ctrl+S';

/** The Fields tab: every field with its value and provenance; Save sends only what changed. */
export function FieldsTab({ detail }: { detail: UserDetail }) {
  const edits = useDetailEdits();
  const { saving, saveError, savedAt } = useDetailSaveStatus();
  const { editField, editUsername, discard, save } = useDetailActions();
  const formRef = useRef<HTMLFormElement>(null);
  const dirty = isDirty(detail, edits);
  const errors = draftErrors(detail, edits);
  const serverField = saveError?.details?.field;
  if (typeof serverField === 'string' && saveError) errors[serverField] = saveError.message;
  const missing = detail.fields.filter((f) => isMissing(f, edits)).length;
  const external = detail.user.kind === 'external';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await save()) return;
    // Messages render on the next frame; then take the person to the first value that needs them.
    requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
  };

  return (
    <form ref={formRef} className="detail-fields" onSubmit={(event) => void submit(event)} noValidate aria-label="Fields">
      <div className="detail-toolbar">
        <p className="detail-toolbar__text muted">
          {external
            ? 'Locked values belong to the directory; the others are kept in Roster and exported as completions where the directory differs.'
            : 'An internal user: every value is kept in Roster.'}{' '}
          <span className="required-legend">
            <span className="required-mark" aria-hidden="true">
              *
            </span>{' '}
            required
          </span>
        </p>
        {dirty && <span className="pill pill--modified">Unsaved changes</span>}
        <SavedFlash savedAt={savedAt} />
        <button type="button" className="button" onClick={discard} disabled={!dirty || saving}>
          Discard
        </button>
        <button type="submit" className="button button--primary" disabled={!dirty || saving} aria-busy={saving} title={`Save (${SAVE_KEYS})`}>
          {saving ? 'Saving…' : 'Save'}
        </button>
      </div>
      {saveError && (
        <p className="banner banner--error" role="alert">
          Could not save: {saveError.message}
        </p>
      )}
      {missing > 0 && <p className="banner banner--info">{missing === 1 ? '1 required field has no value.' : `${missing} required fields have no value.`}</p>}
      <div className="detail-field-list">
        <UsernameRow detail={detail} edits={edits} error={errors[USERNAME_KEY]} onEdit={editUsername} />
        {detail.fields.map((field) => (
          <FieldRow key={field.key} field={field} detail={detail} edits={edits} error={errors[field.key]} onEdit={editField} />
        ))}
      </div>
    </form>
  );
}
