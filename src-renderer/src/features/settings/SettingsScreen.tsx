import { useEffect } from 'react';
import { useFieldsActions } from '../../stores/fields-store';
import { FieldsSection } from './FieldsSection';
import { RolesSection } from './RolesSection';
import './settings.css';

/** Settings: fields (attribute locks, required, custom fields) and roles. */
export function SettingsScreen() {
  const { load, watch } = useFieldsActions();
  useEffect(() => {
    void load();
    return watch();
  }, [load, watch]);
  return (
    <section className="settings-screen" aria-labelledby="settings-title">
      <header className="pane-header">
        <h1 id="settings-title">Settings</h1>
      </header>
      <div className="settings-screen__body">
        <FieldsSection />
        <RolesSection />
      </div>
    </section>
  );
}
