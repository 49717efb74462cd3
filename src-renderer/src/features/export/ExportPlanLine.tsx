import { useExportChoices, useExportPlan } from './export-store';
import { emptyReason, filesNote, planSentence } from './plan-text';
import { fileNameOf } from './export-choices';

/** What the export would write, kept live as choices change: users, what is skipped, files that exist. */
export function ExportPlanLine() {
  const { plan, planning, planError } = useExportPlan();
  const { content } = useExportChoices();
  if (planError) {
    return (
      <p className="export-plan export-plan--error" role="alert" data-testid="export-plan">
        {planError.message}
      </p>
    );
  }
  if (!plan) {
    return (
      <p className="export-plan muted" role="status" data-testid="export-plan">
        {planning ? 'Counting the users to export…' : 'Choose where to save the export.'}
      </p>
    );
  }
  const empty = emptyReason(plan, content);
  const note = filesNote(plan);
  return (
    <div className="export-plan" role="status" data-testid="export-plan" data-users={plan.users} aria-busy={planning}>
      <p className="export-plan__sentence" data-testid="export-plan-sentence">
        {planSentence(plan)}
        {planning && <span className="spinner export-plan__spinner" aria-hidden="true" />}
      </p>
      {empty && <p className="export-plan__note">{empty}</p>}
      {note && (
        <p className="export-plan__note muted" data-testid="export-plan-files">
          {note}
        </p>
      )}
      {plan.existing.length > 0 && (
        <p className="export-plan__note export-plan__note--warn">
          {plan.existing.map(fileNameOf).join(', ')} {plan.existing.length === 1 ? 'exists' : 'exist'} already: you will be asked before{' '}
          {plan.existing.length === 1 ? 'it is' : 'they are'} replaced.
        </p>
      )}
    </div>
  );
}
