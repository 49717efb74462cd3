import { stringify } from 'csv-stringify/sync';
import { AUDIT_ACTION_LABELS, type AuditEntry } from '#shared/model/audit';
import { couldRunFormula } from '../export/neutralise';

/**
 * The export's formula guard without its round-trip part: nobody re-imports the journal, so a value that
 * merely starts with an apostrophe is written as it is; only a cell that could run something gets one.
 */
const neutraliseFormula = (value: string): string => (couldRunFormula(value) ? `'${value}` : value);

export const AUDIT_CSV_HEADER = ['Seq', 'When (UTC)', 'Who', 'Action', 'Username', 'User id', 'Realm', 'Field', 'Before', 'After', 'Note'];

/**
 * The journal as CSV: one row per changed field (an entry without field changes is one row), UTF-8 with a
 * BOM so Excel reads accents right, RFC 4180 quoting, CRLF, cells that could run a formula neutralised.
 */
export function auditToCsv(entries: readonly AuditEntry[], realmName: (id: string) => string): string {
  const rows: string[][] = [AUDIT_CSV_HEADER];
  for (const e of entries) {
    const base = [
      String(e.seq),
      e.at,
      e.who,
      AUDIT_ACTION_LABELS[e.action] ?? e.action,
      e.username ?? '',
      e.userId ?? '',
      e.realmId ? realmName(e.realmId) : '',
    ];
    const changes = e.changes.length ? e.changes : [{ field: '', before: '', after: '' }];
    for (const c of changes) rows.push([...base, c.field, c.before, c.after, e.note ?? '']);
  }
  return `\uFEFF${stringify(
    rows.map((row) => row.map(neutraliseFormula)),
    { record_delimiter: '\r\n', quoted_match: /[\r\n]/ },
  )}`;
}
