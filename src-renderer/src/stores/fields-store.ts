import { create } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { CustomFieldInput, FieldDefinition, FieldOwner } from '#shared/model/fields';
import type { AppError } from '#shared/result';
import { call, subscribe } from '../api';
import { latestOnly } from '../lib/latest';

/** A change to one field's policy. */
export interface PolicyChange {
  owner?: FieldOwner;
  required?: boolean;
}

interface FieldsState {
  fields: FieldDefinition[];
  loaded: boolean;
  loadError: AppError | null;
  /** The last policy change that failed, with the field it was for. */
  policyError: { key: string; error: AppError } | null;
  /** The field whose policy was last saved, and when (for the per-row "Saved" flash). */
  saved: { key: string; at: number } | null;
  load(): Promise<void>;
  setPolicy(key: string, change: PolicyChange): Promise<void>;
  add(field: CustomFieldInput): Promise<AppError | null>;
  remove(key: string): Promise<AppError | null>;
  /** Reloads whenever main says fields changed; returns the unsubscribe function. */
  watch(): () => void;
}

// An event-driven reload can race a policy change: only the newest answer may land.
const loads = latestOnly();

/** The field catalogue with the admin's policy (the "attribute locks") and custom fields. */
export const useFieldsStore = create<FieldsState>()((set, get) => {
  const apply = (fields: FieldDefinition[]) => {
    loads.invalidate();
    set({ fields, loaded: true, loadError: null });
  };
  return {
    fields: [],
    loaded: false,
    loadError: null,
    policyError: null,
    saved: null,
    load: async () => {
      const ticket = loads.next();
      const result = await call('fields:list', {});
      if (!loads.isCurrent(ticket)) return;
      set(result.ok ? { fields: result.value, loaded: true, loadError: null } : { loaded: true, loadError: result.error });
    },
    setPolicy: async (key, change) => {
      // Optimistic: a select that snaps back while main answers feels broken; a failure reloads the truth.
      loads.invalidate();
      set(({ fields }) => ({ fields: fields.map((f) => (f.key === key ? { ...f, ...change } : f)), policyError: null }));
      const result = await call('fields:set-policy', { key, ...change });
      if (result.ok) {
        apply(result.value);
        set({ saved: { key, at: Date.now() } });
      } else {
        set({ policyError: { key, error: result.error } });
        await get().load();
      }
    },
    add: async (field) => {
      const result = await call('fields:add', { field });
      if (!result.ok) return result.error;
      apply(result.value);
      return null;
    },
    remove: async (key) => {
      const result = await call('fields:remove', { key });
      if (!result.ok) return result.error;
      apply(result.value);
      return null;
    },
    watch: () =>
      subscribe('settings:changed', ({ what }) => {
        if (what === 'fields') void get().load();
      }),
  };
});

/** Every field in display order. */
export const useFields = () => useFieldsStore((s) => s.fields);

/** Whether fields have loaded, and the errors to show. */
export const useFieldsStatus = () =>
  useFieldsStore(useShallow((s) => ({ loaded: s.loaded, loadError: s.loadError, policyError: s.policyError, saved: s.saved })));

/** Field labels by key (for audit changes, which name fields by key). */
export const useFieldLabels = () => useFieldsStore(useShallow((s) => Object.fromEntries(s.fields.map((f) => [f.key, f.label]))));

/** The field actions, for components (stable references). */
export const useFieldsActions = () =>
  useFieldsStore(useShallow((s) => ({ load: s.load, setPolicy: s.setPolicy, add: s.add, remove: s.remove, watch: s.watch })));
