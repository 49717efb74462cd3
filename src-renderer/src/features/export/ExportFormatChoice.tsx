import { CSV_DELIMITERS, EXPORT_FORMAT_LABELS, EXPORT_FORMATS, type CsvDelimiter, type ExportFormat } from '#shared/model/export';
import { useExportActions, useExportChoices } from './export-store';
import { RadioOption } from '../../components/RadioOption';

const HINTS: Record<ExportFormat, string> = {
  xlsx: 'Opens in Excel as is: bold frozen header, filters, identifiers and phone numbers kept as text, and a sheet describing the export.',
  csv: 'UTF-8 with a BOM, quoted as RFC 4180 says, lines ending CRLF.',
  ldif: 'changetype: modify records keyed by DN, one replace per changed attribute, ready for ldapmodify. Internal users have no DN and are left out.',
  ps1: 'A script that reads the CSV written beside it and runs Set-ADUser by objectGUID, with -WhatIf until you say otherwise, and a log.',
};

const DELIMITER_LABELS: Record<CsvDelimiter, string> = { ',': 'Comma ( , )', ';': 'Semicolon ( ; )', tab: 'Tab' };

/** The file format; CSV also takes its delimiter. */
export function ExportFormatChoice() {
  const { format, delimiter } = useExportChoices();
  const { setFormat, setDelimiter } = useExportActions();
  return (
    <fieldset className="export-section" data-testid="export-format">
      <legend className="export-section__title">Format</legend>
      {EXPORT_FORMATS.map((f) => (
        <RadioOption
          key={f}
          name="export-format"
          id={`export-format-${f}`}
          label={EXPORT_FORMAT_LABELS[f]}
          hint={HINTS[f]}
          checked={format === f}
          onChange={() => setFormat(f)}
          extra={
            f === 'csv' && format === 'csv' ? (
              <span className="export-delimiter">
                <label htmlFor="export-delimiter">Delimiter</label>
                <select
                  id="export-delimiter"
                  className="select select--cell"
                  value={delimiter}
                  onChange={(event) => setDelimiter(event.target.value as CsvDelimiter)}
                >
                  {CSV_DELIMITERS.map((d) => (
                    <option key={d} value={d}>
                      {DELIMITER_LABELS[d]}
                    </option>
                  ))}
                </select>
              </span>
            ) : undefined
          }
        />
      ))}
    </fieldset>
  );
}
