/** User detail (being built). */
export function UserDetailScreen({ id }: { id: string }) {
  return <section className="screen">User {id}</section>;
}
