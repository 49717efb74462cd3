import type { AuditFilter, AuditPage } from '#shared/model/audit';
import type { AuditLog } from './audit-log';
import { auditToCsv } from './audit-csv';

/** Reading the journal for the Audit screen and the CLI; exporting it is itself journaled. */
export class AuditService {
  constructor(
    private readonly log: AuditLog,
    private readonly realmName: (id: string) => string,
    private readonly actor: string,
    private readonly now: () => Date,
  ) {}

  /** A window of matching entries, newest first. */
  async list(filter: AuditFilter, offset: number, limit: number): Promise<AuditPage> {
    const entries = await this.log.query(filter);
    return { total: entries.length, offset, entries: entries.slice(offset, offset + limit) };
  }

  /** Matching entries as CSV text, and a journal entry saying they were exported. */
  async csv(filter: AuditFilter): Promise<{ filename: string; csv: string; count: number }> {
    const entries = await this.log.query(filter);
    const csv = auditToCsv(entries, this.realmName);
    const at = this.now();
    const described = Object.entries(filter)
      .filter(([, v]) => v !== undefined && v !== '')
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(', ');
    await this.log.append([
      {
        at: at.toISOString(),
        who: this.actor,
        action: 'audit.export',
        changes: [],
        note: `Exported ${entries.length} entries as CSV${described ? ` (${described})` : ''}.`,
      },
    ]);
    return { filename: `roster-audit-${at.toISOString().slice(0, 10)}.csv`, csv, count: entries.length };
  }
}
