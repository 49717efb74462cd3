/** Ids of a field's hint and error paragraphs, so every control announces them. */
export const hintId = (id: string) => `${id}-hint`;
export const errorId = (id: string) => `${id}-error`;

/** aria attributes that tie a control to its error (and hint, when it has one). */
export function describedBy(id: string, error: string | undefined, hasHint = false) {
  const ids = [error ? errorId(id) : '', hasHint ? hintId(id) : ''].filter(Boolean).join(' ');
  return { 'aria-invalid': error ? true : undefined, 'aria-describedby': ids || undefined } as const;
}
