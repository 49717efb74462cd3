import { useEffect, useRef } from 'react';
import { Field } from '../../components/Field';
import { describedBy } from '../../lib/field-aria';
import { useExportActions, useExportPath } from '../../stores/export-store';
import { useSheetFile } from '../../stores/sheet-import-store';

/** "Save to": the file's path, typed or picked with the system's Save dialog where there is one. */
export function ExportDestination() {
  const { path, pathError, browseUnavailable: noSaveDialog, browseError } = useExportPath();
  // Either Browse… may have found out first that this window has no file dialog.
  const { browseUnavailable: noSheetDialog } = useSheetFile();
  const browseUnavailable = noSaveDialog ?? noSheetDialog;
  const { setPath, browse } = useExportActions();
  const inputRef = useRef<HTMLInputElement>(null);
  // Browse… found no file dialog and went away: typing the path is what is left, so the field takes focus.
  const noDialog = browseUnavailable !== null;
  const wasUnavailable = useRef(noDialog);
  useEffect(() => {
    if (noDialog && !wasUnavailable.current) inputRef.current?.focus();
    wasUnavailable.current = noDialog;
  }, [noDialog]);
  const error = pathError ?? undefined;
  useEffect(() => {
    if (pathError) inputRef.current?.focus();
  }, [pathError]);
  const hint = browseUnavailable ? browseUnavailable : 'A file that exists already is only replaced after you confirm.';
  return (
    <fieldset className="export-section">
      <legend className="export-section__title">File</legend>
      <Field id="export-path" label="Save to" error={error} hint={hint}>
        <div className="input-row">
          <input
            ref={inputRef}
            id="export-path"
            className="input mono"
            value={path}
            spellCheck={false}
            autoComplete="off"
            onChange={(event) => setPath(event.target.value)}
            {...describedBy('export-path', error, true)}
          />
          {!browseUnavailable && (
            <button type="button" className="button" onClick={() => void browse()}>
              Browse…
            </button>
          )}
        </div>
      </Field>
      {browseError && (
        <p className="banner banner--error" role="alert">
          Could not open the file dialog: {browseError.message}
        </p>
      )}
    </fieldset>
  );
}
