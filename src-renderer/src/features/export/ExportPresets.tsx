import type { ExportPreset } from '#shared/model/export';
import { useExportActions, useExportChoices } from './export-store';
import { RadioOption } from '../../components/RadioOption';

/** Ready-made choices (format, content and columns at once); a choice of one's own shows as "Custom". */
export function ExportPresets({ presets }: { presets: ExportPreset[] }) {
  const { preset } = useExportChoices();
  const { choosePreset } = useExportActions();
  return (
    <fieldset className="export-section" data-testid="export-presets">
      <legend className="export-section__title">Preset</legend>
      {presets.map((p) => (
        <RadioOption
          key={p.id}
          name="export-preset"
          id={`export-preset-${p.id}`}
          label={p.label}
          hint={p.description}
          checked={preset === p.id}
          onChange={() => choosePreset(p.id)}
        />
      ))}
      <p className="export-section__note muted" aria-live="polite">
        {preset
          ? 'Choosing a preset sets the format, content and columns below.'
          : 'Custom: your own format, content or columns. Pick a preset to start again from it.'}
      </p>
    </fieldset>
  );
}
