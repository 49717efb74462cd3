import { existsSync, statSync } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { ExportCatalogue } from '#shared/ipc/contract';
import { type ExportPart, type ExportPlan, type ExportRequest, type ExportResult, type ExportScope } from '#shared/model/export';
import type { FieldDefinition } from '#shared/model/fields';
import { describeQuery, type QueryNames } from '#shared/model/query-text';
import type { RealmRecord } from '#shared/model/realm';
import type { Job } from '#shared/model/sync';
import { userQuerySchema, type UserRecord } from '#shared/model/user';
import { RosterError } from '#shared/result';
import type { NewAuditEntry } from '../audit/audit-log';
import type { JobContext, JobRunner } from '../jobs/job-runner';
import { attributeMap } from '../sync/mapping';
import type { UserContext, UserService } from '../users/user-service';
import type { UserOp } from '../users/user-store';
import { changeSet } from '../users/user-view';
import { defaultColumns, describeColumns, exportColumns, exportPresets, resolveColumns, type ColumnDef, type ExportUser } from './columns';
import { fieldsToApply, type ExportDocument, type WriteContext } from './document';
import { writeCsv } from './csv';
import { besideName, commitFiles } from './file-set';
import { writeLdif } from './ldif';
import { directoriesOf, planParts, type PartPlan } from './parts';
import { writePs1 } from './ps1';
import { writeXlsx } from './xlsx';

/** The folder exports go to unless the admin picks another: their Downloads folder, else their home. */
export function defaultExportFolder(): string {
  const downloads = join(homedir(), 'Downloads');
  return existsSync(downloads) ? downloads : homedir();
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

/** A selection split into the files it goes to (per realm for LDIF and PS1). */
interface Prepared {
  selection: Selection;
  parts: PartPlan[];
  files: string[];
}

const PROGRESS_PHASE = 'Writing';

/** "a", "a and b", "a, b and c". */
const listed = (items: readonly string[]): string => (items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);

/** A part as the plan and the result tell it. */
const partOf = (part: PartPlan): ExportPart => ({
  ...(part.realm ? { realm: { id: part.realm.id, name: part.realm.name } } : {}),
  files: part.files,
  users: part.rows.length,
});

/**
 * Exports for directory owners: picks the users (scope), keeps the change set when asked, resolves the
 * columns, splits LDIF and PS1 into one file per realm (each is applied to one directory), has a format
 * writer turn each part into a file (written beside the target, and the whole set renamed into place only
 * once every file is written, so a cancelled or failed export leaves none of them), then records the export
 * in the audit journal and marks the changes it carried as exported.
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
    const catalogue = exportColumns(fields);
    // The same columns, in the same order, as the Export screen shows.
    const columns = resolveColumns(catalogue, request.columns ?? defaultColumns(fields, request.format), request.format, request.content);
    const chosenFields = new Set(columns.filter((c) => c.group === 'field').map((c) => c.key));
    const { users, label } = this.scoped(request.scope);
    const skipped = new Map<string, number>();
    const skip = (reason: string) => skipped.set(reason, (skipped.get(reason) ?? 0) + 1);
    const rows: ExportUser[] = [];
    const probe: Pick<ExportDocument, 'columns' | 'content' | 'attribute'> = {
      columns,
      content: request.content,
      attribute: this.attributes(fields),
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

  /**
   * The LDAP attribute of a field in a row's realm. Each realm's map is built once per lookup function, not
   * per cell: an LDIF or PS1 export asks for every chosen field of every row, twice.
   */
  private attributes(fields: readonly FieldDefinition[]): (row: ExportUser, key: string) => string | undefined {
    const maps = new Map<RealmRecord, ReadonlyMap<string, string>>();
    return (row, key) => {
      if (!row.realm) return undefined;
      let map = maps.get(row.realm);
      if (!map) {
        map = attributeMap(row.realm, fields);
        maps.set(row.realm, map);
      }
      return map.get(key);
    };
  }

  /** The selection and the files it goes to. */
  private prepare(request: ExportRequest): Prepared {
    const selection = this.select(request);
    const parts = planParts(request, selection.rows);
    return { selection, parts, files: parts.flatMap((p) => p.files) };
  }

  /** How many users a request would write, what it skips, the files per realm, and which of them exist already. */
  plan(request: ExportRequest): ExportPlan {
    const { selection, parts, files } = this.prepare(request);
    return { users: selection.rows.length, skipped: selection.skipped, files, parts: parts.map(partOf), existing: files.filter((f) => existsSync(f)) };
  }

  /** Refuses to replace any of the files without `overwrite`, a folder in a file's place, and a folder that does not exist. */
  private checkTargets(request: ExportRequest, files: readonly string[]): void {
    const folder = dirname(files[0]!);
    if (!existsSync(folder)) throw new RosterError('not-found', `The folder ${folder} does not exist; choose another place to save the export.`);
    const existing = files.filter((f) => existsSync(f));
    const folders = existing.filter((f) => statSync(f).isDirectory());
    if (folders.length > 0)
      throw new RosterError('conflict', `${listed(folders)} ${folders.length === 1 ? 'is a folder' : 'are folders'}; choose another name.`);
    if (existing.length > 0 && !request.overwrite) {
      throw new RosterError(
        'conflict',
        `${listed(existing)} already exist${existing.length === 1 ? 's' : ''}; choose another name or confirm replacing ${existing.length === 1 ? 'it' : 'them'}.`,
        {
          existing: existing.join('\n'),
        },
      );
    }
  }

  /** Starts an export as a job; problems with the target files are reported at once, before the job starts. */
  start(request: ExportRequest): Job {
    const prepared = this.prepare(request);
    this.checkTargets(request, prepared.files);
    return this.jobs.startWith('export', '', async (context) => ({ export: await this.write(request, prepared, context) }));
  }

  /** Writes an export (the CLI runs this directly; the app through `start`). */
  async run(
    request: ExportRequest,
    context: Pick<JobContext, 'signal' | 'progress'> = { signal: new AbortController().signal, progress: () => {} },
  ): Promise<ExportResult> {
    const prepared = this.prepare(request);
    this.checkTargets(request, prepared.files);
    return this.write(request, prepared, context);
  }

  /** The document of one part: its rows, and an About naming its realm's directory and the other files of the set. */
  private document(request: ExportRequest, prepared: Prepared, part: PartPlan, at: Date): ExportDocument {
    const { selection } = prepared;
    const roles = new Map(this.ctx.store.data.roles.map((r) => [r.id, r.name]));
    const directories = directoriesOf(part.rows);
    const siblings = prepared.parts.filter((p) => p !== part).flatMap((p) => p.files.slice(0, 1).map((f) => basename(f)));
    return {
      columns: selection.columns,
      rows: part.rows,
      content: request.content,
      separator: request.separator,
      delimiter: request.delimiter,
      roleName: (id) => roles.get(id) ?? id,
      attribute: this.attributes(selection.fields),
      about: {
        format: request.format,
        content: request.content,
        scope: selection.scope,
        realms: directories.map((d) => d.realm),
        directories,
        ...(siblings.length > 0 ? { siblings } : {}),
        at,
        who: this.ctx.actor,
        users: part.rows.length,
        skipped: selection.skipped,
        rosterVersion: this.version,
      },
    };
  }

  /** Has the format's writer write one part to its temporary files; returns the records written. */
  private async writePart(doc: ExportDocument, format: ExportRequest['format'], temps: readonly string[], write: WriteContext): Promise<number> {
    if (format === 'xlsx') return (await writeXlsx(doc, temps[0]!, write)).records;
    if (format === 'csv') return (await writeCsv(doc, temps[0]!, write)).records;
    if (format === 'ldif') return (await writeLdif(doc, temps[0]!, write)).records;
    return (await writePs1(doc, temps[0]!, temps[1]!, write)).records;
  }

  /** Writes every part under temporary names, then puts the whole set in place; records it. */
  private async write(
    request: ExportRequest,
    prepared: Prepared,
    context: Pick<JobContext, 'signal' | 'progress'> & Partial<Pick<JobContext, 'reached'>>,
  ): Promise<ExportResult> {
    const { selection, parts, files } = prepared;
    const at = this.ctx.now();
    const total = selection.rows.length;
    context.progress(0, total, PROGRESS_PHASE);
    // Written beside the targets under temporary names, then renamed as a set: never a half-written export,
    // never some realms' files without the others.
    const temps = parts.map((part) => part.files.map((f) => besideName(f, 'partial')));
    const records: number[] = [];
    try {
      let offset = 0;
      for (const [i, part] of parts.entries()) {
        const before = offset;
        const write = { signal: context.signal, progress: (done: number) => context.progress(before + done, total, PROGRESS_PHASE) };
        records.push(await this.writePart(this.document(request, prepared, part, at), request.format, temps[i]!, write));
        offset += part.rows.length;
      }
      // Every file is written and none is in place yet: the last moment a cancel still leaves no file.
      await context.reached?.('written');
      if (context.signal.aborted) throw new RosterError('cancelled', 'Export cancelled; no file was written.');
      // Checked again: a file may have appeared while this export was being written.
      this.checkTargets(request, files);
      await commitFiles(parts.flatMap((part, i) => part.files.map((target, j) => ({ temp: temps[i]![j]!, target }))));
    } catch (error) {
      await Promise.all(temps.flat().map((t) => rm(t, { force: true })));
      if (error instanceof RosterError && error.code === 'cancelled') throw new RosterError('cancelled', 'Export cancelled; no file was written.');
      if (error instanceof RosterError) throw error;
      throw new RosterError('io', `The export could not be written to ${listed(files)}: ${(error as Error).message}`);
    }
    const bytes = (await Promise.all(files.map((f) => stat(f)))).reduce((sum, s) => sum + s.size, 0);
    const result: ExportResult = {
      format: request.format,
      content: request.content,
      files,
      parts: parts.map((part, i) => ({ ...partOf(part), records: records[i]! })),
      users: selection.rows.length,
      records: records.reduce((sum, n) => sum + n, 0),
      skipped: selection.skipped,
      columns: selection.columns.map((c) => c.key),
      bytes,
      scope: selection.scope,
    };
    await this.record(result, selection, at);
    context.progress(total, total, 'Done');
    return result;
  }

  /** The audit entry, and each carried change marked as exported (if the value is still the one written). */
  private async record(result: ExportResult, selection: Selection, at: Date): Promise<void> {
    const chosen = new Set(selection.columns.filter((c) => c.group === 'field').map((c) => c.key));
    const carried = selection.rows
      .map((row) => ({ id: row.user.id, changes: row.changes.filter((c) => chosen.has(c.field)) }))
      .filter((r) => r.changes.length > 0);
    const skipped = result.skipped.map((s) => `${s.count} left out: ${s.reason}`).join('; ');
    const entry: NewAuditEntry = {
      at: at.toISOString(),
      who: this.ctx.actor,
      action: 'users.export',
      changes: [],
      note:
        `Exported ${result.users} user${result.users === 1 ? '' : 's'} (${result.content === 'changes' ? 'change set' : 'snapshot'}, ${result.scope}) ` +
        `as ${result.format.toUpperCase()} to ${listed(result.files)}${result.parts.length > 1 ? ' (one file per realm)' : ''}.${skipped ? ` ${skipped}.` : ''}`,
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
