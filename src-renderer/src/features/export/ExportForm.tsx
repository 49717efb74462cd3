import type { FormEvent } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useExportActions, useExportCatalogue, useExportRun } from './export-store';
import { useJob } from '../../stores/jobs-store';
import { ExportColumns } from './ExportColumns';
import { ExportContentChoice } from './ExportContentChoice';
import { ExportDestination } from './ExportDestination';
import { ExportFormatChoice } from './ExportFormatChoice';
import { ExportPlanLine } from './ExportPlanLine';
import { ExportPresets } from './ExportPresets';
import { ExportRunPanel } from './ExportRunPanel';
import { ExportScopeChoice } from './ExportScopeChoice';
import { fileNameOf } from './export-choices';

/** The question before replacing: one file by name, several by count with their names below. */
function ReplaceQuestion({ files, onConfirm, onCancel }: { files: string[]; onConfirm(): void; onCancel(): void }) {
  const title = files.length === 1 ? `Replace ${fileNameOf(files[0]!)}?` : `Replace ${files.length} files?`;
  return (
    <ConfirmDialog title={title} confirmLabel="Replace" danger onConfirm={onConfirm} onCancel={onCancel}>
      <p>{files.length === 1 ? 'This file exists already:' : 'These files exist already:'}</p>
      <ul className="export-replace__files">
        {files.map((file) => (
          <li key={file} className="mono">
            {file}
          </li>
        ))}
      </ul>
      <p>Exporting replaces {files.length === 1 ? 'it' : 'them'}; the old contents are lost.</p>
    </ConfirmDialog>
  );
}

/** What to export and where: scope, content, preset, format, columns and file, with the plan and Export. */
export function ExportForm() {
  const { catalogue, loadError } = useExportCatalogue();
  const { starting, replace, jobId } = useExportRun();
  const { init, exportNow, confirmReplace, cancelReplace } = useExportActions();
  const job = useJob(jobId);
  const running = jobId !== null && (!job || job.state === 'running');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!running && !starting) void exportNow();
  };

  if (loadError) {
    return (
      <div className="export-form__body">
        <p className="banner banner--error" role="alert">
          Could not read the export columns: {loadError.message}{' '}
          <button type="button" className="link-button" onClick={() => void init()}>
            Retry
          </button>
        </p>
      </div>
    );
  }
  if (!catalogue) {
    return (
      <p className="export-form__body muted" role="status">
        Loading the export columns…
      </p>
    );
  }
  return (
    <form className="export-form" onSubmit={submit} noValidate aria-label="Export users">
      <div className="export-form__body">
        <div className="export-form__choices">
          <ExportScopeChoice />
          <ExportContentChoice />
          <ExportPresets presets={catalogue.presets} />
          <ExportFormatChoice />
          <ExportDestination />
        </div>
        <ExportColumns catalogue={catalogue.columns} />
      </div>
      <footer className="export-form__footer">
        <ExportRunPanel />
        <div className="export-form__action">
          <ExportPlanLine />
          {/* aria-disabled, not disabled: focus stays on Export while it runs (submit ignores it meanwhile). */}
          <button type="submit" className="button button--primary" aria-disabled={starting || running} aria-busy={starting || running}>
            {starting ? 'Starting…' : running ? 'Exporting…' : 'Export'}
          </button>
        </div>
      </footer>
      {replace && <ReplaceQuestion files={replace.files} onConfirm={() => void confirmReplace()} onCancel={cancelReplace} />}
    </form>
  );
}
