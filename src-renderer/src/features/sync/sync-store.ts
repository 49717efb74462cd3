import { create } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { Job, UserDiff } from '#shared/model/sync';
import type { DirectoryCandidate, UserTarget } from '#shared/model/user';
import type { AppError, Result } from '#shared/result';
import { call } from '../../api';
import { bestCandidate, chooseEverywhere, defaultChoices, type Choice, type Choices } from './resync-diff';
import { useJobsStore } from '../../stores/jobs-store';
import { giveSessionPassword } from '../../stores/session-password';
import { latestOnly, type Ticket } from '../../lib/latest';

/** The step of the Resynchronize dialog that talks to main; a failed one is retried after a password. */
type ResyncCall = 'candidates' | 'preview' | 'apply';

/** The Resynchronize dialog: realm, candidates, the chosen entry, its diff and the admin's choices. */
export interface ResyncSession {
  userId: string;
  username: string;
  realmId: string;
  candidates: DirectoryCandidate[] | null;
  chosen: string | null;
  /** Set once Start computed it: the dialog shows the diff instead of the candidates. */
  diff: UserDiff | null;
  choices: Choices;
  busy: ResyncCall | null;
  error: AppError | null;
  /** The call that failed, retried once a password is given. */
  failed: ResyncCall | null;
  /** Main has no bind password for the realm: the dialog asks for one. */
  needsPassword: boolean;
}

/** A job started from the UI (bulk resync, realm reconcile) and what stands in its way. */
export interface JobStart {
  jobId: string | null;
  busy: boolean;
  error: AppError | null;
  needsPassword: boolean;
}

const NO_JOB: JobStart = { jobId: null, busy: false, error: null, needsPassword: false };

interface SyncState {
  resync: ResyncSession | null;
  /** The last saved resync, for the detail's "Resynced" flash. */
  resynced: { userId: string; at: number } | null;
  /** "Resync selected" on the Users list. */
  bulk: JobStart;
  /** "Reconcile…" per realm id. */
  reconciles: Record<string, JobStart>;
  /** The realm whose Reconcile dialog is open. */
  reconcileOpen: string | null;

  openResync(user: { id: string; username: string }, realmId: string): void;
  closeResync(): void;
  chooseRealm(realmId: string): void;
  chooseCandidate(dn: string): void;
  /** Previews the chosen entry (Start). */
  start(): Promise<void>;
  /** Back from the diff to the candidates. */
  back(): void;
  /** Picks a side for one row: a conflict, or a row the merge settled on its own (an override). */
  choose(field: string, choice: Choice): void;
  /** "Take all directory values" / "Keep all Roster's": one side for every row whose two values differ. */
  chooseAll(choice: Choice): void;
  /** Saves the diff with the choices; true when it was applied (the dialog then closes). */
  apply(): Promise<boolean>;
  /** Hands a typed bind password to main for this session (nothing is kept here) and retries what needed it. */
  givePassword(realmId: string, password: string): Promise<void>;
  /** Settles the conflicts a reconcile queued, from the values it recorded. */
  resolve(userId: string, choices: Choices): Promise<AppError | null>;
  /** The next user with conflicts after `currentId` (null when there is none). */
  nextConflict(currentId: string): Promise<Result<string | null>>;
  /** Starts a resync job over the selection; a password typed for one of its realms goes to main first. */
  resyncUsers(target: UserTarget, given?: { realmId: string; password: string }): Promise<void>;
  dismissBulk(): void;
  openReconcile(realmId: string): void;
  closeReconcile(): void;
  /** Starts reconciling a realm (a job; `full` reads the whole realm even when an incremental one would do); a password typed for it goes to main first. */
  reconcile(realmId: string, password?: string, options?: { full?: boolean }): Promise<void>;
  /** Forgets a finished reconcile, so the next "Reconcile…" asks again. */
  clearReconcile(realmId: string): void;
}

// Each dialog opening and each step gets a ticket; answers for an older one are dropped.
const resyncSteps = latestOnly();

/** A failure that a bind password would fix: none known for the realm's target, or the one known refused. */
const wantsPassword = (error: AppError): boolean => error.code === 'password-required' || error.code === 'invalid-credentials';

/** Resync, conflicts and reconcile: the Resynchronize dialog, queued conflicts, bulk resync and realm reconciles. */
export const useSyncStore = create<SyncState>()((set, get) => {
  /** Updates the open dialog if it is still the one a call was made for. */
  const patch = (ticket: Ticket, next: Partial<ResyncSession>) => {
    if (!resyncSteps.isCurrent(ticket)) return;
    set(({ resync }) => (resync ? { resync: { ...resync, ...next } } : {}));
  };
  const failure = (ticket: Ticket, step: ResyncCall, error: AppError) => patch(ticket, { busy: null, error, failed: step, needsPassword: wantsPassword(error) });

  const loadCandidates = async () => {
    const session = get().resync;
    if (!session) return;
    const ticket = resyncSteps.next();
    set({ resync: { ...session, candidates: null, chosen: null, diff: null, busy: 'candidates', error: null, failed: null } });
    const result = await call('sync:candidates', { userId: session.userId, realmId: session.realmId });
    if (!result.ok) return failure(ticket, 'candidates', result.error);
    patch(ticket, { busy: null, candidates: result.value, chosen: bestCandidate(result.value), needsPassword: false });
  };

  const setReconcile = (realmId: string, next: Partial<JobStart>) =>
    set(({ reconciles }) => ({ reconciles: { ...reconciles, [realmId]: { ...(reconciles[realmId] ?? NO_JOB), ...next } } }));

  return {
    resync: null,
    resynced: null,
    bulk: NO_JOB,
    reconciles: {},
    reconcileOpen: null,
    openResync: (user, realmId) => {
      set({
        resync: {
          userId: user.id,
          username: user.username,
          realmId,
          candidates: null,
          chosen: null,
          diff: null,
          choices: {},
          busy: null,
          error: null,
          failed: null,
          needsPassword: false,
        },
      });
      if (realmId) void loadCandidates();
    },
    closeResync: () => {
      resyncSteps.invalidate();
      set({ resync: null });
    },
    chooseRealm: (realmId) => {
      const session = get().resync;
      if (!session || session.realmId === realmId) return;
      set({ resync: { ...session, realmId, needsPassword: false } });
      void loadCandidates();
    },
    chooseCandidate: (dn) => set(({ resync }) => (resync && !resync.busy ? { resync: { ...resync, chosen: dn } } : {})),
    start: async () => {
      const session = get().resync;
      if (!session?.chosen || session.busy) return;
      const ticket = resyncSteps.next();
      set({ resync: { ...session, busy: 'preview', error: null, failed: null } });
      const result = await call('sync:preview', { userId: session.userId, realmId: session.realmId, dn: session.chosen });
      if (!result.ok) return failure(ticket, 'preview', result.error);
      patch(ticket, { busy: null, diff: result.value, choices: defaultChoices(result.value), needsPassword: false });
    },
    back: () => {
      resyncSteps.invalidate();
      set(({ resync }) => (resync ? { resync: { ...resync, diff: null, choices: {}, busy: null, error: null, failed: null } } : {}));
    },
    choose: (field, choice) => set(({ resync }) => (resync ? { resync: { ...resync, choices: { ...resync.choices, [field]: choice } } } : {})),
    chooseAll: (choice) =>
      set(({ resync }) =>
        resync?.diff && !resync.busy ? { resync: { ...resync, choices: { ...resync.choices, ...chooseEverywhere(resync.diff, choice) } } } : {},
      ),
    apply: async () => {
      const session = get().resync;
      if (!session?.diff || session.busy) return false;
      const ticket = resyncSteps.next();
      set({ resync: { ...session, busy: 'apply', error: null, failed: null } });
      const { userId, realmId, dn } = session.diff;
      const result = await call('sync:apply', { userId, realmId, dn, choices: session.choices });
      if (!resyncSteps.isCurrent(ticket)) return false;
      if (!result.ok) {
        failure(ticket, 'apply', result.error);
        return false;
      }
      resyncSteps.invalidate();
      set({ resync: null, resynced: { userId, at: Date.now() } });
      return true;
    },
    givePassword: async (realmId, password) => {
      if (password === '') return;
      const refused = await giveSessionPassword(realmId, password);
      const session = get().resync;
      if (refused) {
        if (session?.realmId === realmId) set({ resync: { ...session, error: refused } });
        return;
      }
      if (session?.realmId === realmId && session.needsPassword) {
        set({ resync: { ...session, needsPassword: false } });
        if (session.failed === 'candidates') void loadCandidates();
        else if (session.failed === 'preview') void get().start();
        else if (session.failed === 'apply') void get().apply();
      }
    },
    resolve: async (userId, choices) => {
      const result = await call('sync:resolve', { userId, choices });
      return result.ok ? null : result.error;
    },
    nextConflict: async (currentId) => {
      // Two rows are enough: the current user may still be the first with conflicts.
      const result = await call('users:query', { query: { conflicts: true }, limit: 2 });
      if (!result.ok) return result;
      return { ok: true, value: result.value.rows.find((row) => row.id !== currentId)?.id ?? null };
    },
    resyncUsers: async (target, given) => {
      if (get().bulk.busy) return;
      set(({ bulk }) => ({ bulk: { ...bulk, busy: true, error: null } }));
      const refused = given ? await giveSessionPassword(given.realmId, given.password) : null;
      if (refused) return set(({ bulk }) => ({ bulk: { ...bulk, busy: false, error: refused } }));
      const result = await call('sync:resync-users', { target });
      if (!result.ok) {
        set({ bulk: { jobId: null, busy: false, error: result.error, needsPassword: wantsPassword(result.error) } });
        return;
      }
      useJobsStore.getState().track(result.value);
      set({ bulk: { jobId: result.value.id, busy: false, error: null, needsPassword: false } });
    },
    dismissBulk: () => set({ bulk: NO_JOB }),
    openReconcile: (realmId) => set({ reconcileOpen: realmId }),
    closeReconcile: () => set({ reconcileOpen: null }),
    reconcile: async (realmId, password, options) => {
      if (get().reconciles[realmId]?.busy) return;
      setReconcile(realmId, { busy: true, error: null });
      const refused = password ? await giveSessionPassword(realmId, password) : null;
      if (refused) return setReconcile(realmId, { busy: false, error: refused });
      const result = await call('realms:reconcile', { realmId, ...(options?.full ? { full: true } : {}) });
      if (!result.ok) {
        setReconcile(realmId, { jobId: null, busy: false, error: result.error, needsPassword: wantsPassword(result.error) });
        return;
      }
      useJobsStore.getState().track(result.value);
      setReconcile(realmId, { jobId: result.value.id, busy: false, error: null, needsPassword: false });
    },
    clearReconcile: (realmId) =>
      set(({ reconciles }) => {
        const { [realmId]: _dropped, ...rest } = reconciles;
        return { reconciles: rest };
      }),
  };
});

/** A job that stopped because the directory wanted a bind password (none known, or the one known refused). */
export function jobWantsPassword(job: Job | undefined): boolean {
  return job?.state === 'failed' && (job.error?.code === 'password-required' || job.error?.code === 'invalid-credentials');
}

/** The realm a refusal names (main puts it in the error's details), e.g. which of a bulk resync's realms needs a password. */
export const realmOfRefusal = (error: AppError | null | undefined): string | undefined => {
  const realmId = error?.details?.realmId;
  return typeof realmId === 'string' ? realmId : undefined;
};

/** Forgets every dialog (tests). */
export function resetSync(): void {
  resyncSteps.invalidate();
  useSyncStore.setState({ resync: null, resynced: null, bulk: NO_JOB, reconciles: {}, reconcileOpen: null });
}

/** The open Resynchronize dialog, or null. */
export const useResyncSession = () => useSyncStore((s) => s.resync);

/** When the open user was last resynced from the dialog (null if not during this visit). */
export const useResyncedAt = (userId: string) => useSyncStore((s) => (s.resynced?.userId === userId ? s.resynced.at : null));

/** The bulk resync's job and state. */
export const useBulkResync = () => useSyncStore((s) => s.bulk);

/** A realm's reconcile: its job and state. */
export const useReconcile = (realmId: string) => useSyncStore((s) => s.reconciles[realmId] ?? NO_JOB);

/** The realm whose Reconcile dialog is open. */
export const useReconcileOpen = () => useSyncStore((s) => s.reconcileOpen);

/** The sync actions, for components (stable references). */
export const useSyncActions = () =>
  useSyncStore(
    useShallow((s) => ({
      openResync: s.openResync,
      closeResync: s.closeResync,
      chooseRealm: s.chooseRealm,
      chooseCandidate: s.chooseCandidate,
      start: s.start,
      back: s.back,
      choose: s.choose,
      chooseAll: s.chooseAll,
      apply: s.apply,
      givePassword: s.givePassword,
      resolve: s.resolve,
      nextConflict: s.nextConflict,
      resyncUsers: s.resyncUsers,
      dismissBulk: s.dismissBulk,
      openReconcile: s.openReconcile,
      closeReconcile: s.closeReconcile,
      reconcile: s.reconcile,
      clearReconcile: s.clearReconcile,
    })),
  );
