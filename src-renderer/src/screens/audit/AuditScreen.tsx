/** The audit journal (being built). */
export function AuditScreen() {
  return <section className="screen">Audit</section>;
}
