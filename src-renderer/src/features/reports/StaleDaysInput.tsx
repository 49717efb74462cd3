import { useState } from 'react';
import { errorId } from '../../lib/field-aria';
import { MAX_STALE_DAYS, useReportsActions, useStaleDays, validStaleDays } from './reports-store';

/** N of "not synced for N days": saved for next time, and the report counted again as it changes. */
export function StaleDaysInput() {
  const { staleDays, saveError } = useStaleDays();
  const { setStaleDays } = useReportsActions();
  const [text, setText] = useState(String(staleDays));
  // N arrives from prefs after the first render: the box follows unless it already says so.
  const [shown, setShown] = useState(staleDays);
  if (shown !== staleDays) {
    setShown(staleDays);
    if (validStaleDays(text) !== staleDays) setText(String(staleDays));
  }
  const invalid = validStaleDays(text) === null;
  return (
    <div className="stale-days">
      <label htmlFor="stale-days">Days without a sync</label>
      <input
        id="stale-days"
        className="input input--short"
        type="number"
        inputMode="numeric"
        min={1}
        max={MAX_STALE_DAYS}
        value={text}
        aria-invalid={invalid || undefined}
        aria-describedby={invalid ? errorId('stale-days') : undefined}
        onChange={(event) => {
          setText(event.target.value);
          const days = validStaleDays(event.target.value);
          if (days !== null) setStaleDays(days);
        }}
      />
      {invalid && (
        <p className="field__error" id={errorId('stale-days')}>
          A whole number of days from 1 to {MAX_STALE_DAYS.toLocaleString('en-US')}.
        </p>
      )}
      {saveError && (
        <p className="banner banner--error" role="alert">
          Could not remember the number of days: {saveError.message}
        </p>
      )}
    </div>
  );
}
