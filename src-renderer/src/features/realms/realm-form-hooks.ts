import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { isDirty, targetChanged, type RealmDraft } from './realm-draft';
import type { FieldErrors } from './realm-validation';
import { useRealmsStore } from '../../stores/realms-store';
import { coverageIsStale, testFieldFlags, useRealmFormStore, visibleFieldErrors } from './realm-form-store';

/** What the form shows: none, new, or a saved realm's id. */
export const useFormTarget = () => useRealmFormStore((s) => s.target);

/** Changes whenever the form opens another target; a key for remounting the form view. */
export const useFormSession = () => useRealmFormStore((s) => s.session);

/** One value of the draft, re-rendering only when it changes. */
export const useDraftValue = <T>(pick: (draft: RealmDraft) => T): T => useRealmFormStore((s) => pick(s.draft));

/** Whether the draft differs from the saved realm. */
export const useIsDirty = () => useRealmFormStore((s) => s.target.kind !== 'none' && isDirty(s.draft, s.baseline));

/** Whether the draft of a saved realm sends its password somewhere else (server, TLS or bind DN changed). */
export const useTargetChanged = () => useRealmFormStore((s) => s.target.kind === 'realm' && targetChanged(s.draft, s.baseline));

/** Save state for the form header. */
export const useSaveStatus = () =>
  useRealmFormStore(useShallow((s) => ({ saving: s.saving, savedAt: s.savedAt, formError: s.formError })));

/** What the form knows of the chosen LDIF file. */
export const useLdifFileState = () => useRealmFormStore((s) => s.ldifFile);

/** The form's connection test. */
export const useTestState = () => useRealmFormStore((s) => s.test);

/** The id of the failed test step's message when the last test failed because of this field, else undefined. */
export const useTestFlag = (errorKey: string): string | undefined => useRealmFormStore((s) => testFieldFlags(s.test, s.draft)[errorKey]);

/** Every field the last failed test is about, with the id of the step message (see testFieldFlags). */
export const useTestFlags = () => useRealmFormStore(useShallow((s) => testFieldFlags(s.test, s.draft)));

/** Whether the mapping was edited since the shown coverage was measured. */
export const useCoverageStale = () => useRealmFormStore((s) => coverageIsStale(s.test, s.draft));

/** A target waiting for "discard changes?", if any. */
export const usePendingTarget = () => useRealmFormStore((s) => s.pending);

/** The form actions (stable references). */
export const useFormActions = () =>
  useRealmFormStore(
    useShallow((s) => ({
      request: s.request,
      open: s.open,
      edit: s.edit,
      chooseKind: s.chooseKind,
      applyPreset: s.applyPreset,
      save: s.save,
      cancel: s.cancel,
      runTest: s.runTest,
      inspectLdif: s.inspectLdif,
      confirmDiscard: s.confirmDiscard,
      keepEditing: s.keepEditing,
    })),
  );

/** Messages per field (see visibleFieldErrors): a malformed filter as typed, the schema's once a save or test was tried, main's. */
export function useFieldErrors(): FieldErrors {
  const { draft, showErrors, serverErrors, target } = useRealmFormStore(
    useShallow((s) => ({ draft: s.draft, showErrors: s.showErrors, serverErrors: s.serverErrors, target: s.target })),
  );
  const enabled = useRealmsStore((s) => (target.kind === 'realm' ? (s.realms.find((r) => r.id === target.id)?.enabled ?? true) : true));
  return useMemo(() => visibleFieldErrors({ draft, showErrors, serverErrors }, enabled), [draft, showErrors, serverErrors, enabled]);
}
