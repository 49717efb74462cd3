import { create } from 'zustand';
import type { ChannelInput } from '#shared/ipc/contract';
import type { ConnectionTestReport } from '#shared/model/connection-test';
import type { LdifFlavour, LdifInspection, Realm, RealmInput, RealmKind } from '#shared/model/realm';
import type { AppError, Result } from '#shared/result';
import { parseSources } from '#shared/model/realm-mapping';
import { call } from '../../api';
import { bindTargetKey, draftFromRealm, isDirty, newDraft, sameSettings, withPreset, type RealmDraft } from './realm-draft';
import { checkDraft, typedErrors, type FieldErrors } from './realm-validation';
import { useRealmsStore } from '../../stores/realms-store';
import { latestOnly } from '../../lib/latest';

/** What the form knows of the chosen LDIF file: being read, what it holds, or why it cannot be read. */
export interface LdifFileState {
  checking: boolean;
  inspection: LdifInspection | null;
  error: AppError | null;
}

/** What the realm form shows: nothing, a new realm, or a saved one. */
export type FormTarget = { kind: 'none' } | { kind: 'new' } | { kind: 'realm'; id: string };

/** The connection test of the form: running, its report, or why it could not run. */
export interface TestState {
  running: boolean;
  report: ConnectionTestReport | null;
  error: AppError | null;
  /** The mapping the test sampled users with (the draft's, as typed then). */
  mapping: RealmDraft['mapping'] | null;
}

/** The id of a test step's message, so the field it is about can point at it (aria-describedby). */
export const testStepDetailId = (step: string): string => `test-step-${step}-detail`;

/**
 * The field a failed connection test is about, and the id of the step message that says why: the form
 * highlights that field and ties it to the message, which the test panel shows once.
 */
export function testFieldFlags(test: TestState, draft: RealmDraft): Record<string, string> {
  const failed = test.running ? undefined : test.report?.steps.find((s) => s.status === 'failed');
  if (!failed || !test.report) return {};
  const id = testStepDetailId(failed.step);
  const code = test.report.error?.code;
  if (code === 'invalid-credentials' || code === 'password-required') return { password: id };
  if (code === 'no-such-base') return { 'search.baseDn': id };
  if (code === 'invalid-filter' || failed.step === 'users') return { 'search.userFilter': id };
  if (failed.step === 'file') return { 'ldif.path': id };
  if (failed.step === 'reach' || failed.step === 'tls' || failed.step === 'bind') {
    // The URL that failed (the test reports the last one it tried).
    const slot = draft.urls.findIndex((u) => u.trim() === test.report?.url);
    if (slot >= 0) return { [`connection.urls.${slot}`]: id };
  }
  return {};
}

/** Whether the draft's mapping differs from the one the shown coverage was measured with. */
export function coverageIsStale(test: TestState, draft: RealmDraft): boolean {
  if (!test.report?.coverage || !test.mapping) return false;
  const lists = (mapping: RealmDraft['mapping']) => JSON.stringify(Object.entries(mapping).map(([field, typed]) => [field, parseSources(typed)]));
  return lists(test.mapping) !== lists(draft.mapping);
}

interface RealmFormState {
  target: FormTarget;
  /** Names this form to main while it drafts a new realm: a password typed here is kept under it until Save. */
  draftId: string;
  /** Changes each time the form opens something else (not on save), so the view remounts fresh. */
  session: number;
  draft: RealmDraft;
  baseline: RealmDraft;
  /** Validation messages appear once a save or test was tried, not while a field is first typed. */
  showErrors: boolean;
  serverErrors: FieldErrors;
  formError: AppError | null;
  saving: boolean;
  /** When the last save succeeded, for the brief "Saved" confirmation. */
  savedAt: number | null;
  test: TestState;
  ldifFile: LdifFileState;
  /** A target waiting for the user to confirm discarding unsaved changes. */
  pending: FormTarget | null;
  request(target: FormTarget): void;
  open(target: FormTarget): void;
  edit(change: (draft: RealmDraft) => RealmDraft, field?: string): void;
  chooseKind(kind: RealmKind): void;
  applyPreset(): void;
  save(): Promise<boolean>;
  cancel(): void;
  runTest(): Promise<boolean>;
  /**
   * Reads the draft's LDIF file: which directory it came from and which id its users carry. A new realm
   * given another file, or an explicit `flavour` ('detect' = the file's own), takes that flavour's preset;
   * re-reading the same file, or a saved realm's, only reports, so edits are never rewritten behind the admin's back.
   */
  inspectLdif(flavour?: LdifFlavour | 'detect'): Promise<void>;
  confirmDiscard(): void;
  keepEditing(): void;
}

const IDLE_TEST: TestState = { running: false, report: null, error: null, mapping: null };
const IDLE_LDIF: LdifFileState = { checking: false, inspection: null, error: null };
const ldifReads = latestOnly();
const savedRealm = (target: FormTarget): Realm | undefined =>
  target.kind === 'realm' ? useRealmsStore.getState().realms.find((r) => r.id === target.id) : undefined;
const blank = newDraft();
/** A key for a new realm's form; main keeps a password typed there under it (it is no secret, only a name). */
const newDraftId = (): string => `form-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
// A late test answer must not land on a form that has since moved to another realm.
const tests = latestOnly();

/**
 * Hands the form's typed password to main for `connection` (the draft's target), under the saved realm or
 * the new realm's draft id, and empties the field whatever the answer: the renderer keeps no password. The
 * draft then remembers only which target it was given for, so Save can ask main to save it.
 */
async function handOverPassword(connection: RealmInput['connection']): Promise<AppError | null> {
  const { target, draft, draftId } = useRealmFormStore.getState();
  const givenFor = bindTargetKey(draft);
  const result = await call('realms:set-session-password', {
    ...(target.kind === 'realm' ? { realmId: target.id } : { draftId }),
    connection,
    password: draft.password,
  });
  if (useRealmFormStore.getState().target !== target) return result.ok ? null : result.error;
  // A new password replaces the stored one on Save, so "forget" no longer applies.
  useRealmFormStore.setState(({ draft: now }) => ({
    draft: { ...now, password: '', ...(result.ok ? { passwordGivenFor: givenFor, forgetPassword: false } : {}) },
  }));
  return result.ok ? null : result.error;
}

/**
 * The messages the form shows, one per field: a malformed user filter as soon as it is typed (Roster's own
 * check, no connection needed); the rest once a save or test was tried; main's (a duplicate name) always.
 */
export function visibleFieldErrors(state: Pick<RealmFormState, 'draft' | 'showErrors' | 'serverErrors'>, enabled: boolean): FieldErrors {
  const { draft, showErrors, serverErrors } = state;
  const check = showErrors ? checkDraft(draft, enabled) : undefined;
  return { ...typedErrors(draft), ...(check && !check.ok ? check.errors : {}), ...serverErrors };
}

/** The realm being edited: draft values, validation, save and "Test connection". */
export const useRealmFormStore = create<RealmFormState>()((set, get) => ({
  target: { kind: 'none' },
  draftId: newDraftId(),
  session: 0,
  draft: blank,
  baseline: blank,
  showErrors: false,
  serverErrors: {},
  formError: null,
  saving: false,
  savedAt: null,
  test: IDLE_TEST,
  ldifFile: IDLE_LDIF,
  pending: null,
  request: (target) => {
    const { draft, baseline, target: current } = get();
    if (current.kind !== 'none' && isDirty(draft, baseline)) set({ pending: target });
    else get().open(target);
  },
  open: (target) => {
    tests.invalidate();
    const realm = savedRealm(target);
    const draft = realm ? draftFromRealm(realm) : newDraft();
    set(({ session }) => ({ target, draftId: newDraftId(), session: session + 1, draft, baseline: draft, showErrors: false, serverErrors: {}, formError: null, saving: false, savedAt: null, test: IDLE_TEST, ldifFile: IDLE_LDIF, pending: null }));
  },
  edit: (change, field) =>
    set(({ draft, serverErrors }) => {
      if (field === undefined || !(field in serverErrors)) return { draft: change(draft) };
      const { [field]: _cleared, ...rest } = serverErrors;
      return { draft: change(draft), serverErrors: rest };
    }),
  chooseKind: (kind) =>
    // Only a new realm takes the preset: on a saved one it would silently rewrite a tuned mapping.
    get().edit((d) => (get().target.kind === 'new' ? withPreset(d, kind) : { ...d, kind })),
  applyPreset: () => get().edit((d) => withPreset(d, d.kind)),
  save: async () => {
    const { target, draft } = get();
    if (target.kind === 'none' || get().saving) return false;
    const existing = savedRealm(target);
    const check = checkDraft(draft, existing?.enabled ?? true);
    if (!check.ok) {
      set({ showErrors: true, formError: null });
      return false;
    }
    set({ saving: true, showErrors: true, formError: null, serverErrors: {} });
    const refused = draft.password !== '' ? await handOverPassword(check.input.connection) : null;
    if (get().target !== target) return false;
    if (refused) {
      set({ saving: false, formError: refused });
      return false;
    }
    // Main saves the password handed over in this form only if it was given for the settings saved now.
    const given = get().draft;
    const remember = given.passwordGivenFor !== null && given.passwordGivenFor === bindTargetKey(given);
    const result: Result<Realm> =
      target.kind === 'realm'
        ? await call('realms:update', {
            id: target.id,
            realm: check.input,
            ...(remember ? { rememberPassword: true } : given.forgetPassword ? { forgetPassword: true } : {}),
          })
        : await call('realms:create', { realm: check.input, draftId: get().draftId, ...(remember ? { rememberPassword: true } : {}) });
    if (get().target !== target) return false;
    if (!result.ok) {
      const field = result.error.details?.field;
      set({ saving: false, ...(typeof field === 'string' ? { serverErrors: { [field]: result.error.message } } : { formError: result.error }) });
      return false;
    }
    useRealmsStore.getState().upsert(result.value);
    const saved = draftFromRealm(result.value);
    const test = target.kind === 'realm' ? get().test : IDLE_TEST;
    set({ target: { kind: 'realm', id: result.value.id }, draft: saved, baseline: saved, saving: false, showErrors: false, savedAt: Date.now(), test });
    return true;
  },
  cancel: () => {
    const { target, baseline } = get();
    if (target.kind === 'new') {
      const first = useRealmsStore.getState().realms[0];
      get().open(first ? { kind: 'realm', id: first.id } : { kind: 'none' });
    } else set({ draft: baseline, showErrors: false, serverErrors: {}, formError: null });
  },
  runTest: async () => {
    const { target, draft, baseline } = get();
    if (target.kind === 'none' || get().test.running) return false;
    const check = checkDraft(draft, savedRealm(target)?.enabled ?? true);
    if (!check.ok) {
      // Said once, by each field it is about (the form then takes focus there), not again in the test panel.
      set({ showErrors: true, test: IDLE_TEST });
      return false;
    }
    const ticket = tests.next();
    // Old steps would read as the new outcome (to people and to tests): clear them first.
    set({ test: { running: true, report: null, error: null, mapping: draft.mapping } });
    // A typed password goes to main first (the one channel that carries it), for the draft's target only.
    const refused = draft.password !== '' ? await handOverPassword(check.input.connection) : null;
    if (!tests.isCurrent(ticket)) return false;
    if (refused) {
      set({ test: { running: false, report: null, error: refused, mapping: null } });
      return false;
    }
    // Main uses the password kept for the target tested, and nothing else: the realm's id lets it find a saved
    // one, a new realm's draft id the one typed here. "Forget the stored password" tests without either.
    const useKept = target.kind === 'realm' && !get().draft.forgetPassword;
    // Main remembers the outcome (for the status bar) only for a saved realm tested as saved: no draft.
    const asSaved = useKept && target.kind === 'realm' && sameSettings(draft, baseline);
    const input: ChannelInput<'realms:test'> = asSaved
      ? { id: target.id }
      : { draft: check.input, ...(target.kind === 'realm' ? (useKept ? { id: target.id } : {}) : { draftId: get().draftId }) };
    const result = await call('realms:test', input);
    if (!tests.isCurrent(ticket)) return false;
    set({
      test: result.ok
        ? { running: false, report: result.value, error: null, mapping: draft.mapping }
        : { running: false, report: null, error: result.error, mapping: null },
    });
    if (asSaved) await useRealmsStore.getState().load();
    return result.ok && result.value.ok;
  },
  inspectLdif: async (flavour) => {
    const { draft, target, ldifFile } = get();
    const path = draft.ldifPath.trim();
    if (target.kind === 'none' || path === '') return;
    // Leaving the field again without changing the path must not undo edits made after the first reading.
    const newFile = ldifFile.inspection?.path !== path;
    const ticket = ldifReads.next();
    set({ ldifFile: { checking: true, inspection: null, error: null } });
    const result = await call('realms:inspect-ldif', { path, ...(flavour && flavour !== 'detect' ? { flavour } : {}) });
    if (!ldifReads.isCurrent(ticket) || get().target !== target) return;
    if (!result.ok) return set({ ldifFile: { checking: false, inspection: null, error: result.error } });
    const seen = result.value;
    set({ ldifFile: { checking: false, inspection: seen, error: null } });
    if (flavour !== undefined || (target.kind === 'new' && newFile)) get().edit((d) => ({ ...withPreset(d, 'ldif-file', seen.flavour), idAttribute: seen.idAttribute }));
  },
  confirmDiscard: () => {
    const { pending } = get();
    if (pending) get().open(pending);
  },
  keepEditing: () => set({ pending: null }),
}));

// A realm deleted (here or elsewhere) cannot stay open in the form.
useRealmsStore.subscribe((state) => {
  const { target, open } = useRealmFormStore.getState();
  if (target.kind === 'realm' && !state.realms.some((r) => r.id === target.id)) {
    const first = state.realms[0];
    open(first ? { kind: 'realm', id: first.id } : { kind: 'none' });
  }
});
