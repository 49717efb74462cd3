import type { UserDetail } from '#shared/model/user';
import { describedBy, errorId, hintId } from '../../../lib/field-aria';
import { RequiredMark } from './FieldRow';
import { LockIcon } from '../../../components/LockIcon';
import { draftUsername, usernameEditable, type DetailEdits } from './user-draft';

interface UsernameRowProps {
  detail: UserDetail;
  edits: DetailEdits;
  error: string | undefined;
  onEdit(value: string): void;
}

/** The username: editable for internal users; for external users it follows the directory. */
export function UsernameRow({ detail, edits, error, onEdit }: UsernameRowProps) {
  const id = 'user-field-username';
  const editable = usernameEditable(detail);
  const value = draftUsername(detail, edits);
  const unsaved = editable && edits.username !== undefined && edits.username.trim() !== detail.user.username;
  const hint = editable ? 'Letters, digits and . _ - @; unique ignoring case.' : `Follows ${detail.realmName ?? 'the directory'}.`;
  return (
    <div className={error ? 'detail-field detail-field--invalid' : 'detail-field'} data-testid="field-row" data-field="username">
      <div className="detail-field__label">
        <label htmlFor={id}>Username</label>
        <RequiredMark />
      </div>
      <div className="detail-field__control">
        <div className="input-row">
          <input
            id={id}
            className="input"
            value={value}
            readOnly={!editable}
            aria-required
            spellCheck={false}
            autoComplete="off"
            onChange={(event) => onEdit(event.target.value)}
            {...describedBy(id, error, true)}
          />
          {!editable && <LockIcon />}
        </div>
        {error && (
          <p className="field__error" id={errorId(id)}>
            {error}
          </p>
        )}
        <p className="field__hint" id={hintId(id)}>
          {hint}
        </p>
      </div>
      <div className="detail-field__marks">{unsaved && <span className="pill pill--modified">Unsaved</span>}</div>
    </div>
  );
}
