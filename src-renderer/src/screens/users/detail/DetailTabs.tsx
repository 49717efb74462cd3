import { useRef, type KeyboardEvent } from 'react';
import type { DetailTab } from '../../../stores/user-detail-store';

const TABS: { id: DetailTab; label: string }[] = [
  { id: 'fields', label: 'Fields' },
  { id: 'roles', label: 'Roles' },
  { id: 'history', label: 'History' },
];

/** The id of a tab's panel, which it controls. */
export const panelId = (tab: DetailTab) => `user-detail-panel-${tab}`;
/** The id of a tab, which labels its panel. */
export const tabId = (tab: DetailTab) => `user-detail-tab-${tab}`;

interface DetailTabsProps {
  tab: DetailTab;
  /** Marks the Fields tab while edits are unsaved, so switching away does not hide them. */
  unsaved: boolean;
  onChange(tab: DetailTab): void;
}

/** The tab strip: arrows, Home and End move between tabs (the ARIA tabs pattern with automatic activation). */
export function DetailTabs({ tab, unsaved, onChange }: DetailTabsProps) {
  const listRef = useRef<HTMLDivElement>(null);
  const keyDown = (event: KeyboardEvent) => {
    const index = TABS.findIndex((t) => t.id === tab);
    const next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: TABS.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const target = TABS[(next + TABS.length) % TABS.length]!;
    onChange(target.id);
    listRef.current?.querySelector<HTMLElement>(`#${tabId(target.id)}`)?.focus();
  };
  return (
    <div className="tabs" role="tablist" aria-label="User details" ref={listRef} onKeyDown={keyDown}>
      {TABS.map((t) => (
        <button
          key={t.id}
          type="button"
          role="tab"
          id={tabId(t.id)}
          className="tabs__tab"
          aria-selected={t.id === tab}
          aria-controls={panelId(t.id)}
          tabIndex={t.id === tab ? 0 : -1}
          onClick={() => onChange(t.id)}
        >
          {t.label}
          {t.id === 'fields' && unsaved && (
            <span className="tabs__dot" title="Unsaved changes">
              <span className="visually-hidden"> (unsaved changes)</span>
            </span>
          )}
        </button>
      ))}
    </div>
  );
}
