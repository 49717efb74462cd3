import type { ExportContent } from '#shared/model/export';
import { useExportActions, useExportChoices } from './export-store';
import { RadioOption } from '../../components/RadioOption';

const CONTENTS: { id: ExportContent; label: string; hint: string }[] = [
  { id: 'snapshot', label: 'Full snapshot', hint: 'Every user in scope with their current values.' },
  {
    id: 'changes',
    label: 'Only completions and changes since the last sync',
    hint: 'External users whose Roster values differ from the directory’s: what directory owners apply. Emptied values are written empty.',
  },
];

/** What goes in: every user's values, or only the change set directory owners apply. */
export function ExportContentChoice() {
  const { content } = useExportChoices();
  const { setContent } = useExportActions();
  return (
    <fieldset className="export-section">
      <legend className="export-section__title">Content</legend>
      {CONTENTS.map((c) => (
        <RadioOption
          key={c.id}
          name="export-content"
          id={`export-content-${c.id}`}
          label={c.label}
          hint={c.hint}
          checked={content === c.id}
          onChange={() => setContent(c.id)}
        />
      ))}
    </fieldset>
  );
}
