import { z } from 'zod';

/** What an audit entry records. */
export const AUDIT_ACTIONS = [
  'user.create',
  'user.update',
  'user.delete',
  'user.enable',
  'user.disable',
  'user.role-assign',
  'user.role-remove',
  'user.to-internal',
  'user.to-external',
  'user.import',
  'user.resync',
  'user.conflict-resolve',
  'user.missing',
  'user.relink',
  'user.sheet-import',
  'realm.reconcile',
  'role.create',
  'role.rename',
  'role.delete',
  'field.policy',
  'field.create',
  'field.delete',
  'audit.export',
  'users.export',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Human labels for the actions, shared by the Audit screen, History tab and CSV. */
export const AUDIT_ACTION_LABELS: Record<AuditAction, string> = {
  'user.create': 'Created user',
  'user.update': 'Edited user',
  'user.delete': 'Deleted user',
  'user.enable': 'Enabled login',
  'user.disable': 'Disabled login',
  'user.role-assign': 'Assigned role',
  'user.role-remove': 'Removed role',
  'user.to-internal': 'Converted to internal',
  'user.to-external': 'Converted to external',
  'user.import': 'Imported from directory',
  'user.resync': 'Resynced with directory',
  'user.conflict-resolve': 'Resolved conflicts',
  'user.missing': 'Not found in directory',
  'user.relink': 'Linked to another realm',
  'user.sheet-import': 'Updated from a returned sheet',
  'realm.reconcile': 'Reconciled realm',
  'role.create': 'Created role',
  'role.rename': 'Renamed role',
  'role.delete': 'Deleted role',
  'field.policy': 'Changed field policy',
  'field.create': 'Added custom field',
  'field.delete': 'Removed custom field',
  'audit.export': 'Exported audit journal',
  'users.export': 'Exported users',
};

/** The before and after of one changed field or property. */
export interface AuditChange {
  field: string;
  before: string;
  after: string;
}

/** One append-only journal entry. */
export interface AuditEntry {
  /** Increasing across the journal. */
  seq: number;
  at: string;
  /** The OS user who did it. */
  who: string;
  action: AuditAction;
  userId?: string;
  username?: string;
  realmId?: string;
  changes: AuditChange[];
  /** A sentence for anything the changes do not say (the role deleted, the realm converted to). */
  note?: string;
}

export const auditFilterSchema = z
  .object({
    /** A user id, or a username (case-insensitive, exact). */
    user: z.string().max(200).optional(),
    action: z.enum(AUDIT_ACTIONS).optional(),
    /** Inclusive ISO dates or date-times. */
    from: z.string().max(40).optional(),
    to: z.string().max(40).optional(),
  })
  .strict();
export type AuditFilter = z.infer<typeof auditFilterSchema>;

/** A window of the journal, newest first. */
export interface AuditPage {
  total: number;
  offset: number;
  entries: AuditEntry[];
}
