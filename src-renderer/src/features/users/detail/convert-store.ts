import { create } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { DirectoryCandidate } from '#shared/model/user';
import type { AppError } from '#shared/result';
import { latestOnly } from '../../../lib/latest';
import { useUserDetailStore } from './user-detail-store';

/** The Convert to external dialog: the realm picked, the entries Find returned, the one ticked. */
export interface ConvertSession {
  realmId: string;
  /** What the last Find returned, with the realm it searched (null before Find, and after the realm changed). */
  found: { realmId: string; candidates: DirectoryCandidate[] } | null;
  /** The DN of the ticked entry, one of `found`'s. */
  chosen: string | null;
  busy: 'find' | 'convert' | null;
  error: AppError | null;
}

interface ConvertState extends ConvertSession {
  /** Starts the dialog on a realm, with nothing found yet. */
  openConvert(realmId: string): void;
  /** The dialog closed: drops whatever answer is on its way. */
  closeConvert(): void;
  /** Another realm: what was found (or is being looked for) in the old one is dropped, a Find on its way too. */
  chooseRealm(realmId: string): void;
  choose(dn: string): void;
  /** Looks for the user's username in the realm; a password typed for it goes to main first (nothing is kept here). */
  find(password?: string): Promise<void>;
  /** Links the user to the ticked entry, in the realm it was found in; true when done (the dialog then closes). */
  convert(): Promise<boolean>;
}

const CLOSED: ConvertSession = { realmId: '', found: null, chosen: null, busy: null, error: null };

// Each Find and Convert gets a ticket; an answer for an older one (another realm, a closed dialog) is dropped.
const steps = latestOnly();

/** Convert to external: find the user's entries in a realm, tick one, convert. */
export const useConvertStore = create<ConvertState>()((set, get) => ({
  ...CLOSED,
  openConvert: (realmId) => {
    steps.invalidate();
    set({ ...CLOSED, realmId });
  },
  closeConvert: () => {
    steps.invalidate();
    set(CLOSED);
  },
  chooseRealm: (realmId) => {
    // The conversion is already on its way with the realm it was sent for.
    if (get().busy === 'convert' || get().realmId === realmId) return;
    steps.invalidate();
    set({ realmId, found: null, chosen: null, busy: null, error: null });
  },
  choose: (dn) => set({ chosen: dn }),
  find: async (password) => {
    const { realmId, busy } = get();
    if (!realmId || busy) return;
    const ticket = steps.next();
    set({ busy: 'find', error: null, chosen: null });
    const result = await useUserDetailStore.getState().findInRealm(realmId, password);
    if (!steps.isCurrent(ticket)) return;
    if (!result.ok) {
      set({ busy: null, found: null, error: result.error });
      return;
    }
    // One match is the usual case: tick it, the person still confirms with Convert.
    set({ busy: null, found: { realmId, candidates: result.value }, chosen: result.value.length === 1 ? result.value[0]!.dn : null });
  },
  convert: async () => {
    const { realmId, found, chosen, busy } = get();
    // Only an entry found in the realm on screen, sent with that realm.
    if (busy || !chosen || found?.realmId !== realmId || !found.candidates.some((c) => c.dn === chosen)) return false;
    const ticket = steps.next();
    set({ busy: 'convert', error: null });
    const failure = await useUserDetailStore.getState().toExternal(found.realmId, chosen);
    if (!steps.isCurrent(ticket)) return false;
    set({ busy: null, error: failure });
    return failure === null;
  },
}));

/** The dialog's state. */
export const useConvertSession = () =>
  useConvertStore(useShallow((s): ConvertSession => ({ realmId: s.realmId, found: s.found, chosen: s.chosen, busy: s.busy, error: s.error })));

/** The dialog's actions (stable references). */
export const useConvertActions = () =>
  useConvertStore(
    useShallow((s) => ({
      openConvert: s.openConvert,
      closeConvert: s.closeConvert,
      chooseRealm: s.chooseRealm,
      choose: s.choose,
      find: s.find,
      convert: s.convert,
    })),
  );
