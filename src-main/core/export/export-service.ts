import { existsSync } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, extname, join } from 'node:path';
import type { ExportCatalogue } from '../../../src-shared/ipc/contract';
import { EXPORT_EXTENSIONS, type ExportPlan, type ExportRequest, type ExportResult, type ExportScope } from '../../../src-shared/model/export';
import type { FieldDefinition } from '../../../src-shared/model/fields';
import { describeQuery, type QueryNames } from '../../../src-shared/model/query-text';
import type { RealmRecord } from '../../../src-shared/model/realm';
import type { Job } from '../../../src-shared/model/sync';
import { userQuerySchema, type UserRecord } from '../../../src-shared/model/user';
import { RosterError } from '../../../src-shared/result';
import type { NewAuditEntry } from '../audit/audit-log';
import type { JobContext, JobRunner } from '../jobs/job-runner';
import { attributeMap } from '../sync/mapping';
import type { UserContext, UserService } from '../users/user-service';
import type { UserOp } from '../users/user-store';
import { changeSet } from '../users/user-view';
import { defaultColumns, describeColumns, exportColumns, exportPresets, resolveColumns, type ColumnDef, type ExportUser } from './columns';
import { fieldsToApply, type ExportDocument } from './document';
import { writeCsv } from './csv';
import { writeLdif } from './ldif';
import { writePs1 } from './ps1';
import { writeXlsx } from './xlsx';

/** The folder exports go to unless the admin picks another: their Downloads folder, else their home. */
export function defaultExportFolder(): string {
  const downloads = join(homedir(), 'Downloads');
  return existsSync(downloads) ? downloads : homedir();
}

/** The files a request writes: the path itself, and for PowerShell the CSV beside the script. */
export function exportFiles(request: Pick<ExportRequest, 'format' | 'path'>): string[] {
  const ext = EXPORT_EXTENSIONS[request.format];
  const path = extname(request.path).toLowerCase() === ext ? request.path : `${request.path}${ext}`;
  if (request.format !== 'ps1') return [path];
  return [path, join(dirname(path), `${basename(path, ext)}.csv`)];
}

/** Set-ADUser names users by objectGUID: only realms identified by it can be in a PowerShell export. */
const byObjectGuid = (realm: RealmRecord | undefined): boolean => realm?.idAttribute.toLowerCase() === 'objectguid';

interface Selection {
  columns: ColumnDef[];
  rows: ExportUser[];
  skipped: { reason: string; count: number }[];
  scope: string;
  fields: FieldDefinition[];
}

const PROGRESS_PHASE = 'Writing';

/**
 * Exports for directory owners: picks the users (scope), keeps the change set when asked, resolves the
 * columns, has a format writer turn them into a file (written beside the target and renamed into place,
 * so a cancelled or failed export leaves nothing half-written), then records the export in the audit
 * journal and marks the changes it carried as exported.
 */
export class ExportService {
  constructor(
    private readonly ctx: UserContext,
    private readonly users: UserService,
    private readonly jobs: JobRunner,
    private readonly version: string,
  ) {}

  /** Every column, the presets, and the default folder. */
  catalogue(): ExportCatalogue {
    const fields = this.users.fields();
    return { columns: describeColumns(exportColumns(fields)), presets: exportPresets(fields), defaultFolder: defaultExportFolder() };
  }

  /** Realm and field names for describing a query in words. */
  private queryNames(): QueryNames {
    const fields = this.users.fields();
    return { realm: (id) => this.realm(id)?.name, field: (key) => fields.find((f) => f.key === key)?.label };
  }

  private realm(id: string | undefined): RealmRecord | undefined {
    return id === undefined ? undefined : this.ctx.store.data.realms.find((r) => r.id === id);
  }

  private scoped(scope: ExportScope): { users: UserRecord[]; label: string } {
    switch (scope.kind) {
      case 'all':
        return { users: this.users.engine.matching(userQuerySchema.parse({})), label: 'All users' };
      case 'ids':
        return { users: this.users.targets({ ids: scope.ids }), label: `${scope.ids.length} selected user${scope.ids.length === 1 ? '' : 's'}` };
      case 'query': {
        const query = userQuerySchema.parse(scope.query);
        return {
          users: this.users.engine.matching(query),
          label: scope.label ?? describeQuery(query, this.queryNames()),
        };
      }
    }
  }

  /** The users and columns a request writes, and what it leaves out and why. */
  private select(request: ExportRequest): Selection {
    const fields = this.users.fields();
    const columns = resolveColumns(exportColumns(fields), request.columns ?? defaultColumns(fields, request.format));
    const chosenFields = new Set(columns.filter((c) => c.group === 'field').map((c) => c.key));
    const { users, label } = this.scoped(request.scope);
    const skipped = new Map<string, number>();
    const skip = (reason: string) => skipped.set(reason, (skipped.get(reason) ?? 0) + 1);
    const rows: ExportUser[] = [];
    const probe: Pick<ExportDocument, 'columns' | 'content' | 'attribute'> = {
      columns,
      content: request.content,
      attribute: (row, key) => this.attribute(row, key, fields),
    };
    for (const user of users) {
      const realm = this.realm(user.origin?.realmId);
      const row: ExportUser = { user, ...(realm ? { realm } : {}), changes: changeSet(user, fields) };
      if (request.content === 'changes') {
        if (user.kind === 'internal') {
          skip('internal users: they have no directory entry to change');
          continue;
        }
        if (row.changes.length === 0) {
          skip('no changes since the last sync');
          continue;
        }
        if (!row.changes.some((c) => chosenFields.has(c.field))) {
          skip('their changes are only in columns not chosen');
          continue;
        }
      }
      if (request.format === 'ldif' || request.format === 'ps1') {
        if (!user.origin) {
          skip('internal users: they have no directory entry to change');
          continue;
        }
        if (request.format === 'ps1' && !byObjectGuid(realm)) {
          skip('users of realms without objectGUID (Set-ADUser is for Active Directory)');
          continue;
        }
        if (fieldsToApply(probe, row).length === 0) {
          skip('no chosen field maps to a directory attribute');
          continue;
        }
      }
      rows.push(row);
    }
    return { columns, rows, skipped: [...skipped].map(([reason, count]) => ({ reason, count })), scope: label, fields };
  }

  private attribute(row: ExportUser, key: string, fields: readonly FieldDefinition[]): string | undefined {
    return row.realm ? attributeMap(row.realm, fields).get(key) : undefined;
  }

  /** How many users a request would write, what it skips, and which of its files exist already. */
  plan(request: ExportRequest): ExportPlan {
    const selection = this.select(request);
    const files = exportFiles(request);
    return { users: selection.rows.length, skipped: selection.skipped, files, existing: files.filter((f) => existsSync(f)) };
  }

  /** Refuses to replace files without `overwrite`, and a folder that does not exist. */
  private checkTargets(request: ExportRequest): string[] {
    const files = exportFiles(request);
    const folder = dirname(files[0]!);
    if (!existsSync(folder)) throw new RosterError('not-found', `The folder ${folder} does not exist; choose another place to save the export.`);
    const existing = files.filter((f) => existsSync(f));
    if (existing.length > 0 && !request.overwrite) {
      throw new RosterError(
        'conflict',
        `${existing.join(' and ')} already exist${existing.length === 1 ? 's' : ''}; choose another name or confirm replacing it.`,
        {
          existing: existing.join('\n'),
        },
      );
    }
    return files;
  }

  /** Starts an export as a job; problems with the target are reported at once, before the job starts. */
  start(request: ExportRequest): Job {
    this.checkTargets(request);
    return this.jobs.startWith('export', '', async (context) => ({ export: await this.run(request, context) }));
  }

  /** Writes an export (the CLI runs this directly; the app through `start`). */
  async run(
    request: ExportRequest,
    context: Pick<JobContext, 'signal' | 'progress'> = { signal: new AbortController().signal, progress: () => {} },
  ): Promise<ExportResult> {
    const files = this.checkTargets(request);
    const selection = this.select(request);
    const at = this.ctx.now();
    const realms = [...new Set(selection.rows.map((r) => r.realm?.name).filter((n): n is string => n !== undefined))].sort();
    const roles = new Map(this.ctx.store.data.roles.map((r) => [r.id, r.name]));
    const doc: ExportDocument = {
      columns: selection.columns,
      rows: selection.rows,
      content: request.content,
      separator: request.separator,
      delimiter: request.delimiter,
      roleName: (id) => roles.get(id) ?? id,
      attribute: (row, key) => this.attribute(row, key, selection.fields),
      about: {
        format: request.format,
        content: request.content,
        scope: selection.scope,
        realms,
        at,
        who: this.ctx.actor,
        users: selection.rows.length,
        skipped: selection.skipped,
        rosterVersion: this.version,
      },
    };
    const total = selection.rows.length;
    context.progress(0, total, PROGRESS_PHASE);
    const write = { signal: context.signal, progress: (done: number) => context.progress(done, total, PROGRESS_PHASE) };
    // Written beside the target under a temporary name, then renamed: never a half-written export.
    const temps = files.map((f) => join(dirname(f), `.${basename(f)}.${process.pid}.partial`));
    let records: number;
    try {
      if (request.format === 'xlsx') records = (await writeXlsx(doc, temps[0]!, write)).records;
      else if (request.format === 'csv') records = (await writeCsv(doc, temps[0]!, write)).records;
      else if (request.format === 'ldif') records = (await writeLdif(doc, temps[0]!, write)).records;
      else records = (await writePs1(doc, temps[0]!, temps[1]!, write)).records;
      if (context.signal.aborted) throw new RosterError('cancelled', 'Export cancelled; no file was written.');
      // Checked again: a file may have appeared while this export was being written.
      this.checkTargets(request);
      for (let i = 0; i < files.length; i += 1) await rename(temps[i]!, files[i]!);
    } catch (error) {
      await Promise.all(temps.map((t) => rm(t, { force: true })));
      if (error instanceof RosterError && error.code === 'cancelled') throw new RosterError('cancelled', 'Export cancelled; no file was written.');
      if (error instanceof RosterError) throw error;
      throw new RosterError('io', `The export could not be written to ${files[0]}: ${(error as Error).message}`);
    }
    const bytes = (await Promise.all(files.map((f) => stat(f)))).reduce((sum, s) => sum + s.size, 0);
    const result: ExportResult = {
      format: request.format,
      content: request.content,
      files,
      users: selection.rows.length,
      records,
      skipped: selection.skipped,
      columns: selection.columns.map((c) => c.key),
      bytes,
      scope: selection.scope,
    };
    await this.record(result, doc, at);
    context.progress(total, total, 'Done');
    return result;
  }

  /** The audit entry, and each carried change marked as exported (if the value is still the one written). */
  private async record(result: ExportResult, doc: ExportDocument, at: Date): Promise<void> {
    const chosen = new Set(doc.columns.filter((c) => c.group === 'field').map((c) => c.key));
    const carried = doc.rows.map((row) => ({ id: row.user.id, changes: row.changes.filter((c) => chosen.has(c.field)) })).filter((r) => r.changes.length > 0);
    const skipped = result.skipped.map((s) => `${s.count} left out: ${s.reason}`).join('; ');
    const entry: NewAuditEntry = {
      at: at.toISOString(),
      who: this.ctx.actor,
      action: 'users.export',
      changes: [],
      note:
        `Exported ${result.users} user${result.users === 1 ? '' : 's'} (${result.content === 'changes' ? 'change set' : 'snapshot'}, ${result.scope}) ` +
        `as ${result.format.toUpperCase()} to ${result.files.join(' and ')}.${skipped ? ` ${skipped}.` : ''}`,
    };
    const ids = await this.ctx.users.transact(() => {
      const ops: UserOp[] = [];
      for (const { id, changes } of carried) {
        const user = this.ctx.users.get(id);
        if (!user) continue;
        const values = { ...user.exported?.values };
        let marked = false;
        for (const change of changes) {
          if ((user.fields[change.field] ?? '') !== change.local || values[change.field] === change.local) continue;
          values[change.field] = change.local;
          marked = true;
        }
        if (marked) ops.push({ put: { ...user, exported: { at: at.toISOString(), values } } });
      }
      return { ops, audit: [entry], result: ops.map((op) => ('put' in op ? op.put.id : op.del)) };
    });
    if (ids.length > 0) this.users.changed(ids);
  }
}
