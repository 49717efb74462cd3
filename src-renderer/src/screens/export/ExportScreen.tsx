import { useEffect, useRef, type KeyboardEvent } from 'react';
import { useExportActions, useExportTab, type ExportTab } from '../../stores/export-store';
import { useFieldsActions, useFieldsStatus } from '../../stores/fields-store';
import { ExportForm } from './ExportForm';
import { SheetImportSection } from './SheetImportSection';

const TABS: { id: ExportTab; label: string }[] = [
  { id: 'export', label: 'Export users' },
  { id: 'reimport', label: 'Re-import a returned sheet' },
];

const tabId = (tab: ExportTab) => `export-tab-${tab}`;
const panelId = (tab: ExportTab) => `export-panel-${tab}`;

/** The Export screen: write users for directory owners, or read back a sheet they returned. */
export function ExportScreen() {
  const tab = useExportTab();
  const { setTab, init, watch } = useExportActions();
  const { loaded: fieldsLoaded } = useFieldsStatus();
  const { load: loadFields } = useFieldsActions();
  const listRef = useRef<HTMLDivElement>(null);
  // Each visit reads the catalogue again (fields may have been added) and the plan for the scope now.
  useEffect(() => {
    void init();
  }, [init]);
  useEffect(() => watch(), [watch]);
  // Scope descriptions and the re-import mapping name fields by their labels.
  useEffect(() => {
    if (!fieldsLoaded) void loadFields();
  }, [fieldsLoaded, loadFields]);

  const keyDown = (event: KeyboardEvent) => {
    const index = TABS.findIndex((t) => t.id === tab);
    const next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: TABS.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const target = TABS[(next + TABS.length) % TABS.length]!;
    setTab(target.id);
    listRef.current?.querySelector<HTMLElement>(`#${tabId(target.id)}`)?.focus();
  };

  return (
    <section className="export-screen" aria-labelledby="export-title">
      <header className="export-screen__header">
        <h1 id="export-title">Export</h1>
        <div className="tabs export-screen__tabs" role="tablist" aria-label="Export" ref={listRef} onKeyDown={keyDown}>
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
              onClick={() => setTab(t.id)}
            >
              {t.label}
            </button>
          ))}
        </div>
      </header>
      <div className="export-screen__panel" role="tabpanel" id={panelId(tab)} aria-labelledby={tabId(tab)}>
        {tab === 'export' ? <ExportForm /> : <SheetImportSection />}
      </div>
    </section>
  );
}
