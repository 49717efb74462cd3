import { useEffect, useState } from 'react';

const VISIBLE_MS = 3000;

/** "Saved" for a few seconds after each successful save; the live region stays so readers announce it. */
export function SavedFlash({ savedAt }: { savedAt: number | null }) {
  // Visibility is derived (a save newer than the last one hidden) so no state is set synchronously in the effect.
  const [hiddenFor, setHiddenFor] = useState<number | null>(null);
  useEffect(() => {
    if (savedAt === null) return undefined;
    const timer = window.setTimeout(() => setHiddenFor(savedAt), VISIBLE_MS);
    return () => window.clearTimeout(timer);
  }, [savedAt]);
  const visible = savedAt !== null && hiddenFor !== savedAt;
  return (
    <span role="status" className={visible ? 'saved-flash saved-flash--visible' : 'saved-flash'}>
      {visible ? 'Saved' : ''}
    </span>
  );
}
