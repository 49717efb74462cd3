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
