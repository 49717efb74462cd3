import { PathField } from './PathField';
import { useExportActions, useExportPath } from './export-store';
import { useSheetFile } from './sheet-import-store';

/** "Save to": the file's path, typed or picked with the system's Save dialog where there is one. */
export function ExportDestination() {
  const { path, pathError, browseUnavailable: noSaveDialog, browseError } = useExportPath();
  // Either Browse… may have found out first that this window has no file dialog.
  const { browseUnavailable: noSheetDialog } = useSheetFile();
  const browseUnavailable = noSaveDialog ?? noSheetDialog;
  const { setPath, browse } = useExportActions();
  const hint = browseUnavailable ? browseUnavailable : 'A file that exists already is only replaced after you confirm.';
  return (
    <fieldset className="export-section">
      <legend className="export-section__title">File</legend>
      <PathField
        id="export-path"
        label="Save to"
        value={path}
        onChange={setPath}
        onBrowse={() => void browse()}
        browseUnavailable={browseUnavailable}
        browseError={browseError}
        hint={hint}
        error={pathError ?? undefined}
      />
    </fieldset>
  );
}
