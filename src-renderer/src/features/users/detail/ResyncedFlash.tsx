import { useEffect, useState } from 'react';

const VISIBLE_MS = 4000;

/** "Resynced" for a few seconds after the Resynchronize dialog saved; the live region stays so readers announce it. */
export function ResyncedFlash({ at }: { at: number | null }) {
  const [hiddenFor, setHiddenFor] = useState<number | null>(null);
  useEffect(() => {
    if (at === null) return undefined;
    const timer = window.setTimeout(() => setHiddenFor(at), VISIBLE_MS);
    return () => window.clearTimeout(timer);
  }, [at]);
  const visible = at !== null && hiddenFor !== at;
  return (
    <span role="status" className={visible ? 'saved-flash saved-flash--visible' : 'saved-flash'} data-testid="resynced-flash">
      {visible ? 'Resynced' : ''}
    </span>
  );
}
