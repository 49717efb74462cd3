import type { FieldState, UserDetail } from '#shared/model/user';
import { describedBy, errorId, hintId } from '../../../lib/field-aria';
import { fullTime, timeAgo } from '../../../lib/format-time';
import { LockIcon } from '../../../components/LockIcon';
import { draftValue, isMissing, type DetailEdits } from './user-draft';

interface FieldRowProps {
  field: FieldState;
  detail: UserDetail;
  edits: DetailEdits;
  error: string | undefined;
  onEdit(key: string, value: string): void;
}

const quoted = (value: string | undefined) => (value ? `“${value}”` : 'no value');

/** Where a value comes from, in one line (external users only: an internal user's values are all typed here). */
function provenance(field: FieldState, detail: UserDetail): string | null {
  const origin = detail.user.origin;
  if (!origin) return null;
  const directory = detail.realmName ?? 'the directory';
  const synced = `synced ${timeAgo(origin.syncedAt)}`;
  if (field.readOnly) {
    // Just locked: Roster still holds its own value until the next resync replaces it.
    if (field.directoryValue !== undefined && field.directoryValue !== field.value) {
      return `Owned by ${directory}, which has ${quoted(field.directoryValue)} (${synced}); the next resync replaces this value.`;
    }
    return `Owned by ${directory} · ${synced}. Edit it in the directory, then resync.`;
  }
  if (field.conflict) return `Changed here and in ${directory}, which now has ${quoted(field.conflict.directory)}: choose the value to keep above.`;
  if (field.completion) return `Local completion · ${directory} has ${quoted(field.directoryValue)} (${synced}).`;
  if (field.source === 'local') return `Local value, kept on resync · ${directory} has ${quoted(field.directoryValue)}.`;
  return `From ${directory} · a local field: an edit here is kept on resync.`;
}

/**
 * Marks a required field's label whether or not it has a value yet, so the person knows before leaving it empty
 * (the input carries aria-required for screen readers, which then hear "required" once, not "asterisk").
 */
export function RequiredMark() {
  return (
    <span className="required-mark" aria-hidden="true" title="Required" data-testid="required-marker">
      *
    </span>
  );
}

/** One field of the user: its label, value (editable or locked), where it comes from and its marks. */
export function FieldRow({ field, detail, edits, error, onEdit }: FieldRowProps) {
  const id = `user-field-${field.key}`;
  const value = draftValue(field, edits);
  const typed = edits.fields[field.key];
  const unsaved = typed !== undefined && typed !== field.value && !field.readOnly;
  const missing = isMissing(field, edits);
  const hint = provenance(field, detail);
  const origin = detail.user.origin;
  return (
    <div className={error ? 'detail-field detail-field--invalid' : 'detail-field'} data-testid="field-row" data-field={field.key} data-source={field.source}>
      <div className="detail-field__label">
        <label htmlFor={id}>{field.label}</label>
        {field.required && <RequiredMark />}
      </div>
      <div className="detail-field__control">
        <div className="input-row">
          <input
            id={id}
            className={field.type === 'dn' || field.type === 'identifier' ? 'input mono' : 'input'}
            type={field.type === 'email' ? 'email' : field.type === 'phone' ? 'tel' : 'text'}
            value={value}
            readOnly={field.readOnly}
            aria-required={field.required || undefined}
            spellCheck={false}
            onChange={(event) => onEdit(field.key, event.target.value)}
            {...describedBy(id, error, hint !== null)}
          />
          {field.readOnly && <LockIcon title={origin ? `Owned by the directory; synced ${fullTime(origin.syncedAt)}` : undefined} />}
        </div>
        {error && (
          <p className="field__error" id={errorId(id)}>
            {error}
          </p>
        )}
        {hint && (
          <p className="field__hint" id={hintId(id)}>
            {hint}
          </p>
        )}
      </div>
      <div className="detail-field__marks">
        {field.completion && (
          <span
            className="pill pill--completion"
            data-testid="completion-marker"
            title={`The directory has ${quoted(field.directoryValue)}: exports hand this value to the directory's owners.`}
          >
            Completion
          </span>
        )}
        {field.conflict && (
          <span
            className="pill pill--conflict"
            data-testid="conflict-marker"
            title={`Changed here and in the directory (now ${quoted(field.conflict.directory)}); choose the value to keep above, or resynchronize.`}
          >
            Conflict
          </span>
        )}
        {missing && (
          <span className="pill pill--missing-value" data-testid="missing-marker" title="A required field without a value">
            Missing
          </span>
        )}
        {unsaved && <span className="pill pill--modified">Unsaved</span>}
      </div>
    </div>
  );
}
