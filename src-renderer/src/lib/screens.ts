/** The screens reachable from the main navigation, in menu order. */
export const SCREENS = ['users', 'import', 'realms', 'reports', 'export', 'audit', 'settings'] as const;
export type ScreenId = (typeof SCREENS)[number];

/** Menu labels per screen. */
export const SCREEN_LABELS: Record<ScreenId, string> = {
  users: 'Users',
  import: 'Import',
  realms: 'Realms',
  reports: 'Reports',
  export: 'Export',
  audit: 'Audit',
  settings: 'Settings',
};

/** Screens not built yet. */
export type ComingSoonScreen = Exclude<ScreenId, 'users' | 'import' | 'realms' | 'audit' | 'settings'>;

/** What each screen not built yet will do, shown in its placeholder (one sentence each). */
export const COMING_SOON: Record<ComingSoonScreen, string> = {
  reports: 'This screen will report missing and stale data and the outcome of each realm reconcile.',
  export: 'This screen will export the store or only its completions as XLSX, CSV, an LDIF change set or a PowerShell script.',
};
