import {
  DEFAULT_STALE_DAYS,
  type FieldCompleteness,
  type RealmCompleteness,
  type ReportId,
  type ReportSummary,
  type ReportUser,
  type ReportsOverview,
} from '#shared/model/report';
import { userQuerySchema, type UserQueryInput, type UserRecord } from '#shared/model/user';
import type { UserService } from '../users/user-service';
import { fieldLabel } from '../users/field-labels';
import { changeSet } from '../users/user-view';

/** Titles and what each report counts, in the order the screen shows them. */
const REPORTS: Record<ReportId, { title: string; description: (days: number) => string }> = {
  missing: { title: 'Missing required fields', description: () => 'Users with at least one required field empty.' },
  unexported: {
    title: 'Completions not exported',
    description: () => 'External users with values completed or changed in Roster that no export has handed to the directory owners yet.',
  },
  stale: { title: 'Not synced recently', description: (days) => `External users not synced with their directory for ${days} days or more.` },
  disabled: {
    title: 'Disabled in the directory, enabled in Roster',
    description: () => 'The directory account is disabled but the user may still log in through Roster.',
  },
  orphans: { title: 'Not found in their realm', description: () => 'External users a reconcile no longer found in their directory.' },
  conflicts: { title: 'Open conflicts', description: () => 'Users with fields changed both in Roster and in the directory, waiting for a decision.' },
};

/** A report's title, as the screen and the CLI show it. */
export const reportTitle = (id: ReportId): string => REPORTS[id].title;

/** The list filter behind each report. */
export function reportQuery(id: ReportId, staleDays: number): UserQueryInput {
  switch (id) {
    case 'missing':
      return { incomplete: true };
    case 'unexported':
      return { unexported: true };
    case 'stale':
      return { staleDays };
    case 'disabled':
      return { directoryEnabled: false, enabled: true };
    case 'orphans':
      return { notFound: true };
    case 'conflicts':
      return { conflicts: true };
  }
}

/**
 * Data-quality reports over the local store (no directory is contacted): completeness per field and the
 * counts of each report. Every report is a user-list filter, so the screen opens exactly the users counted
 * and an export can take the same filter as its scope.
 */
export class ReportService {
  constructor(
    private readonly users: UserService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Completeness per field (required first) and every report's count. */
  overview(staleDays: number = DEFAULT_STALE_DAYS): ReportsOverview {
    const all = this.users.engine.matching(userQuerySchema.parse({}));
    const fields = this.users.fields();
    const missing = new Map(fields.map((f) => [f.key, 0]));
    // The same counts per realm: one realm may account for every missing value of a field.
    const byRealm = new Map<string | null, RealmCompleteness>();
    for (const user of all) {
      const realmId = user.kind === 'external' ? (user.origin?.realmId ?? null) : null;
      let realm = byRealm.get(realmId);
      if (!realm) {
        realm = {
          realmId,
          name: realmId === null ? 'Internal users' : this.users.realmName(realmId),
          users: 0,
          missing: Object.fromEntries(fields.map((f) => [f.key, 0])),
        };
        byRealm.set(realmId, realm);
      }
      realm.users += 1;
      for (const f of fields) {
        if ((user.fields[f.key] ?? '').trim() !== '') continue;
        missing.set(f.key, (missing.get(f.key) ?? 0) + 1);
        realm.missing[f.key] = (realm.missing[f.key] ?? 0) + 1;
      }
    }
    const completenessByRealm = [...byRealm.values()].sort(
      (a, b) => Number(a.realmId === null) - Number(b.realmId === null) || b.users - a.users || a.name.localeCompare(b.name),
    );
    const completeness: FieldCompleteness[] = fields
      .map((f) => ({ key: f.key, label: f.label, required: f.required, total: all.length, missing: missing.get(f.key) ?? 0, query: { missingField: f.key } }))
      .sort((a, b) => Number(b.required) - Number(a.required));
    const reports: ReportSummary[] = (Object.keys(REPORTS) as ReportId[]).map((id) => {
      const query = reportQuery(id, staleDays);
      return {
        id,
        title: REPORTS[id].title,
        description: REPORTS[id].description(staleDays),
        count: this.users.engine.matching(userQuerySchema.parse(query)).length,
        query,
      };
    });
    return { at: this.now().toISOString(), users: all.length, staleDays, completeness, completenessByRealm, reports };
  }

  /** The users of one report, each with a line saying why they are in it (for the CLI). */
  list(id: ReportId, staleDays: number = DEFAULT_STALE_DAYS): ReportUser[] {
    const fields = this.users.fields();
    const required = fields.filter((f) => f.required);
    const why = (user: UserRecord): string => {
      switch (id) {
        case 'missing':
          return `missing ${required
            .filter((f) => (user.fields[f.key] ?? '').trim() === '')
            .map((f) => f.label)
            .join(', ')}`;
        case 'unexported':
          return changeSet(user, fields)
            .filter((c) => user.exported?.values[c.field] !== c.local)
            .map((c) => `${fieldLabel(fields, c.field)}: "${c.directory}" → "${c.local}"`)
            .join('; ');
        case 'stale':
          return `last synced ${user.origin?.syncedAt ?? 'never'}`;
        case 'disabled':
          return 'disabled in the directory, login enabled in Roster';
        case 'orphans':
          return `not found since ${user.origin?.missingSince ?? '?'}`;
        case 'conflicts':
          return (user.conflicts ?? []).map((c) => `${fieldLabel(fields, c.field)}: Roster "${c.local}" / directory "${c.directory}"`).join('; ');
      }
    };
    return this.users.engine.matching(userQuerySchema.parse(reportQuery(id, staleDays))).map((user) => ({
      id: user.id,
      username: user.username,
      displayName: user.fields.displayName ?? '',
      ...(user.origin ? { realm: this.users.realmName(user.origin.realmId) } : {}),
      detail: why(user),
    }));
  }
}
