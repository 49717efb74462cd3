/** Settings: fields (attribute locks) and roles (being built). */
export function SettingsScreen() {
  return <section className="screen">Settings</section>;
}
