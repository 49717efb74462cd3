import type { FormEvent } from 'react';
import { PathField } from './PathField';
import { useExportPath } from './export-store';
import { useSheetApply, useSheetFile, useSheetImportActions, useSheetPreview } from './sheet-import-store';
import { SheetApplyReportView } from './SheetApplyReport';
import { SheetMappingTable } from './SheetMappingTable';
import { SheetPreviewPanel } from './SheetPreviewPanel';

/** The sheet to read: a path typed or picked, then Open. */
function SheetFileForm() {
  const { path, opening, openError, browseUnavailable: noSheetDialog, browseError, sheet } = useSheetFile();
  // Either Browse… may have found out first that this window has no file dialog.
  const { browseUnavailable: noSaveDialog } = useExportPath();
  const browseUnavailable = noSheetDialog ?? noSaveDialog;
  const { setPath, browse, open } = useSheetImportActions();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void open();
  };
  const hint = browseUnavailable
    ? `${browseUnavailable} A .xlsx or .csv file with a header row.`
    : 'An Excel workbook (its first sheet) or a CSV file, with a header row: an export from Roster, edited and sent back.';
  return (
    <form className="sheet-file" onSubmit={submit} noValidate aria-label="Sheet to read">
      <PathField
        id="sheet-path"
        label="Sheet"
        value={path}
        onChange={setPath}
        onBrowse={() => void browse()}
        browseUnavailable={browseUnavailable}
        browseError={browseError}
        hint={hint}
      >
        <button type="submit" className={sheet ? 'button' : 'button button--primary'} aria-disabled={opening} aria-busy={opening}>
          {opening ? 'Opening…' : 'Open'}
        </button>
      </PathField>
      {openError && (
        <p className="banner banner--error" role="alert">
          Could not open the sheet: {openError.message}
        </p>
      )}
    </form>
  );
}

/** "Re-import a returned sheet": read it, map its columns, preview each row, apply the valid rows. */
export function SheetImportSection() {
  const { sheet } = useSheetFile();
  const { preview } = useSheetPreview();
  const { report } = useSheetApply();
  return (
    <div className="sheet-import" data-testid="sheet-import">
      <p className="sheet-import__intro">
        Directory owners may send a sheet back with values filled in. Roster matches each row to a user by id, DN or username, shows what would change, and
        applies the valid rows to Roster’s own fields (fields the directory owns are left alone). Every change is written to the audit journal.
      </p>
      <SheetFileForm />
      {sheet && <SheetMappingTable sheet={sheet} />}
      {preview && <SheetPreviewPanel />}
      {report && <SheetApplyReportView report={report} />}
    </div>
  );
}
