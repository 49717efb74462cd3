import { COMING_SOON, SCREEN_LABELS, type ComingSoonScreen } from '../../lib/screens';

/** A screen that is not built yet: its name and what it will do. */
export function PlaceholderScreen({ screen }: { screen: ComingSoonScreen }) {
  return (
    <section className="placeholder" aria-labelledby="placeholder-title">
      <h1 id="placeholder-title">{SCREEN_LABELS[screen]}</h1>
      <p>Coming in a later release. {COMING_SOON[screen]}</p>
    </section>
  );
}
