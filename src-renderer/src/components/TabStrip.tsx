import { useRef, type KeyboardEvent, type ReactNode } from 'react';
import './tab-strip.css';

export interface TabDef<T extends string> {
  id: T;
  label: string;
  /** Shown after the label (a marker such as "unsaved"). */
  after?: ReactNode;
}

interface TabStripProps<T extends string> {
  tabs: readonly TabDef<T>[];
  current: T;
  onChange(tab: T): void;
  /** The strip's accessible name. */
  label: string;
  /** Each tab's id is `<prefix>-tab-<id>` and controls `<prefix>-panel-<id>`. */
  prefix: string;
  className?: string;
}

/** The id of a tab's panel, which the tab controls. */
export const tabPanelId = (prefix: string, tab: string) => `${prefix}-panel-${tab}`;
/** The id of a tab, which labels its panel. */
export const tabButtonId = (prefix: string, tab: string) => `${prefix}-tab-${tab}`;

/** A tab strip: arrows, Home and End move between tabs (the ARIA tabs pattern with automatic activation). */
export function TabStrip<T extends string>({ tabs, current, onChange, label, prefix, className }: TabStripProps<T>) {
  const listRef = useRef<HTMLDivElement>(null);
  const keyDown = (event: KeyboardEvent) => {
    const index = tabs.findIndex((t) => t.id === current);
    const next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: tabs.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const target = tabs[(next + tabs.length) % tabs.length]!;
    onChange(target.id);
    listRef.current?.querySelector<HTMLElement>(`#${tabButtonId(prefix, target.id)}`)?.focus();
  };
  return (
    <div className={className ? `tabs ${className}` : 'tabs'} role="tablist" aria-label={label} ref={listRef} onKeyDown={keyDown}>
      {tabs.map((t) => (
        <button
          key={t.id}
          type="button"
          role="tab"
          id={tabButtonId(prefix, t.id)}
          className="tabs__tab"
          aria-selected={t.id === current}
          aria-controls={tabPanelId(prefix, t.id)}
          tabIndex={t.id === current ? 0 : -1}
          onClick={() => onChange(t.id)}
        >
          {t.label}
          {t.after}
        </button>
      ))}
    </div>
  );
}
