/** Controls whose own keys (typing, caret moves, an open list) must not take the person away from the user. */
const OWNS_KEYS =
  'input:not([type="checkbox"]):not([type="radio"]):not([type="button"]):not([type="submit"]):not([type="reset"]), textarea, select, [contenteditable=""], [contenteditable="true"], [role="combobox"], [role="listbox"]';

/**
 * Whether a key press on the user detail means "back to the list": Escape or Alt+← — unless something else
 * already handled it, a modal dialog is open (Escape closes the dialog instead), or focus is in a control
 * that uses the key itself (Escape clears a search box or closes a list; Alt+← moves by word on macOS).
 */
export function leavesUser(event: KeyboardEvent): boolean {
  if (event.defaultPrevented || event.isComposing) return false;
  const escape = event.key === 'Escape' && !event.altKey && !event.ctrlKey && !event.metaKey && !event.shiftKey;
  const altLeft = event.key === 'ArrowLeft' && event.altKey && !event.ctrlKey && !event.metaKey && !event.shiftKey;
  if (!escape && !altLeft) return false;
  if (document.querySelector('dialog[open]')) return false;
  const target = event.target instanceof Element ? event.target : null;
  return !target?.closest(OWNS_KEYS);
}
