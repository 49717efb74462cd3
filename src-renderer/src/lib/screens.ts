/** The screens reachable from the main navigation, in menu order. */
export const SCREENS = ['users', 'import', 'realms', 'reports', 'export', 'audit'] as const;
export type ScreenId = (typeof SCREENS)[number];

/** Menu labels per screen. */
export const SCREEN_LABELS: Record<ScreenId, string> = {
  users: 'Users',
  import: 'Import',
  realms: 'Realms',
  reports: 'Reports',
  export: 'Export',
  audit: 'Audit',
};

/** What each screen not built yet will do, shown in its placeholder (one sentence each). */
export const COMING_SOON: Record<Exclude<ScreenId, 'realms'>, string> = {
  users: 'This screen will list every account in the local store across realms, with fast search, field locks and one-click resync.',
  import: 'This screen will search a realm by keyword or LDAP filter and import the chosen users, showing which are new or changed.',
  reports: 'This screen will report missing and stale data and the outcome of each realm reconcile.',
  export: 'This screen will export the store or only its completions as XLSX, CSV, an LDIF change set or a PowerShell script.',
  audit: 'This screen will show every import, resync, edit and export, with the before and after of each field.',
};
