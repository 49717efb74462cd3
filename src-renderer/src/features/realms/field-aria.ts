import { describedBy, hintId } from '../../lib/field-aria';

/**
 * aria for a realm form control: its own error when it has one; else, when the last connection test failed
 * because of it, highlighted and described by that test step's message (`flag`, shown once, in the test panel).
 */
export function realmFieldAria(id: string, error: string | undefined, hasHint: boolean, flag: string | undefined) {
  if (error || !flag) return describedBy(id, error, hasHint);
  return { 'aria-invalid': true, 'aria-describedby': [flag, hasHint ? hintId(id) : ''].filter(Boolean).join(' ') } as const;
}
