import { TabStrip, tabButtonId, tabPanelId } from '../../../components/TabStrip';
import type { DetailTab } from './user-detail-store';

const PREFIX = 'user-detail';

/** The id of a tab's panel, which it controls. */
export const panelId = (tab: DetailTab) => tabPanelId(PREFIX, tab);
/** The id of a tab, which labels its panel. */
export const tabId = (tab: DetailTab) => tabButtonId(PREFIX, tab);

interface DetailTabsProps {
  tab: DetailTab;
  /** Marks the Fields tab while edits are unsaved, so switching away does not hide them. */
  unsaved: boolean;
  onChange(tab: DetailTab): void;
}

/** The user detail's tabs: Fields (marked while edits are unsaved), Roles, History. */
export function DetailTabs({ tab, unsaved, onChange }: DetailTabsProps) {
  const unsavedDot = unsaved ? (
    <span className="tabs__dot" title="Unsaved changes">
      <span className="visually-hidden"> (unsaved changes)</span>
    </span>
  ) : undefined;
  const tabs = [
    { id: 'fields' as const, label: 'Fields', after: unsavedDot },
    { id: 'roles' as const, label: 'Roles' },
    { id: 'history' as const, label: 'History' },
  ];
  return <TabStrip tabs={tabs} current={tab} onChange={onChange} label="User details" prefix={PREFIX} />;
}
