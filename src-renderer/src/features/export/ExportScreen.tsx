import { useEffect } from 'react';
import { TabStrip, tabButtonId, tabPanelId } from '../../components/TabStrip';
import { useExportActions, useExportTab, type ExportTab } from './export-store';
import { useFieldsActions, useFieldsStatus } from '../../stores/fields-store';
import { ExportForm } from './ExportForm';
import { SheetImportSection } from './SheetImportSection';
import './export.css';

const TABS: { id: ExportTab; label: string }[] = [
  { id: 'export', label: 'Export users' },
  { id: 'reimport', label: 'Re-import a returned sheet' },
];

/** The Export screen: write users for directory owners, or read back a sheet they returned. */
export function ExportScreen() {
  const tab = useExportTab();
  const { setTab, init, watch } = useExportActions();
  const { loaded: fieldsLoaded } = useFieldsStatus();
  const { load: loadFields } = useFieldsActions();
  // Each visit reads the catalogue again (fields may have been added) and the plan for the scope now.
  useEffect(() => {
    void init();
  }, [init]);
  useEffect(() => watch(), [watch]);
  // Scope descriptions and the re-import mapping name fields by their labels.
  useEffect(() => {
    if (!fieldsLoaded) void loadFields();
  }, [fieldsLoaded, loadFields]);

  return (
    <section className="export-screen" aria-labelledby="export-title">
      <header className="export-screen__header">
        <h1 id="export-title">Export</h1>
        <TabStrip tabs={TABS} current={tab} onChange={setTab} label="Export" prefix="export" className="export-screen__tabs" />
      </header>
      <div className="export-screen__panel" role="tabpanel" id={tabPanelId('export', tab)} aria-labelledby={tabButtonId('export', tab)}>
        {tab === 'export' ? <ExportForm /> : <SheetImportSection />}
      </div>
    </section>
  );
}
