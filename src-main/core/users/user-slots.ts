import type { FieldDefinition } from '#shared/model/fields';
import type { UserRecord } from '#shared/model/user';
import type { UserStore } from './user-store';
import { userFlags } from './user-view';

/** Bits of a slot's `attrs`: what the list's filters and counts read without touching the user object. */
export const ALIVE = 1;
export const EXTERNAL = 2;
export const ENABLED = 4;
export const INCOMPLETE = 8;
export const COMPLETIONS = 16;
export const CONFLICTS = 32;
export const UNEXPORTED = 64;

/** The text the search box matches: username, full name, email and department, lower-cased. */
export const searchText = (user: UserRecord): string =>
  `${user.username}\n${user.fields.displayName ?? ''}\n${user.fields.email ?? ''}\n${user.fields.department ?? ''}`.toLowerCase();

/** What the store offers the slots: its users, and which changed since a generation. */
export type UserSource = Pick<UserStore, 'generation' | 'changedSince' | 'get' | 'all'>;

/** Changes a refresh patches in place; more than this (or more than an eighth of the users) rebuilds. */
const MAX_PATCH = 2_000;

/**
 * Every user in a numbered slot, with what the list searches, filters and counts by in flat arrays (the
 * lower-cased search text, one byte of flags, the realm's number), so a query over 100,000 users is a
 * loop over arrays rather than over objects and a WeakMap. Slots follow the store by its change log: a
 * few edits patch their slots, a larger change rebuilds.
 */
export class UserSlots {
  /** The user in each slot (undefined: a free slot). */
  users: Array<UserRecord | undefined> = [];
  text: string[] = [];
  attrs = new Uint8Array(0);
  /** The realm number of each slot's user (an index into `realmIds`), -1 for internal users. */
  realm = new Int32Array(0);
  readonly realmIds: string[] = [];
  /** Slots in use or freed: loops run over 0..count-1 and skip slots without ALIVE. */
  count = 0;
  /** Bumps whenever a slot's content changes: anything computed from the slots keeps the version it saw. */
  version = 0;
  private readonly realmNo = new Map<string, number>();
  private readonly slotOf = new Map<string, number>();
  private free: number[] = [];
  private generation = -1;
  private fields: readonly FieldDefinition[] = [];
  private flagsStale = true;

  constructor(private readonly store: UserSource) {}

  /** Sets the field policy the flags follow; they are recomputed on the next refresh. */
  /** The field policy the markers follow. */
  get fieldPolicy(): readonly FieldDefinition[] {
    return this.fields;
  }

  setFields(fields: readonly FieldDefinition[]): void {
    this.fields = fields;
    this.flagsStale = true;
  }

  /** The slot of a user id, if it has one. */
  slotOfId(id: string): number | undefined {
    return this.slotOf.get(id);
  }

  /** The number of a realm id (-1 when no user belongs to it). */
  realmNumber(realmId: string): number {
    return this.realmNo.get(realmId) ?? -1;
  }

  /**
   * Brings the slots up to date with the store. Returns the slots whose user changed (put, replaced or
   * deleted; empty when none did), or undefined when everything was rebuilt and slot numbers changed.
   */
  refresh(): number[] | undefined {
    if (this.generation === this.store.generation && !this.flagsStale) return [];
    const changed = this.generation < 0 ? undefined : this.store.changedSince(this.generation);
    if (!changed || changed.length > Math.max(MAX_PATCH, this.count / 8)) {
      this.rebuild();
      return undefined;
    }
    if (this.flagsStale) {
      for (let slot = 0; slot < this.count; slot += 1) {
        const user = this.users[slot];
        if (user) this.attrs[slot] = this.attrsOf(user);
      }
      this.flagsStale = false;
      this.version += 1;
    }
    if (changed.length === 0) return [];
    const slots: number[] = [];
    for (const id of new Set(changed)) {
      const user = this.store.get(id);
      let slot = this.slotOf.get(id);
      if (!user) {
        if (slot === undefined) continue;
        this.slotOf.delete(id);
        this.users[slot] = undefined;
        this.text[slot] = '';
        this.attrs[slot] = 0;
        this.realm[slot] = -1;
        this.free.push(slot);
        slots.push(slot);
        continue;
      }
      if (slot === undefined) {
        slot = this.free.pop() ?? this.grow();
        this.slotOf.set(id, slot);
      }
      this.fill(slot, user);
      slots.push(slot);
    }
    this.generation = this.store.generation;
    this.version += 1;
    return slots;
  }

  private rebuild(): void {
    const users = [...this.store.all()];
    this.users = users;
    this.count = users.length;
    // Filled in slot order (push): `new Array(100_000)` would start in V8's slow dictionary mode.
    this.text = [];
    this.attrs = new Uint8Array(Math.max(16, users.length));
    this.realm = new Int32Array(Math.max(16, users.length)).fill(-1);
    this.slotOf.clear();
    this.free = [];
    for (let slot = 0; slot < users.length; slot += 1) {
      const user = users[slot] as UserRecord;
      this.slotOf.set(user.id, slot);
      this.fill(slot, user);
    }
    this.generation = this.store.generation;
    this.flagsStale = false;
    this.version += 1;
  }

  /** A new slot at the end, growing the arrays by half when full. */
  private grow(): number {
    const slot = this.count;
    if (slot >= this.attrs.length) {
      const size = Math.max(16, Math.ceil(this.attrs.length * 1.5));
      const attrs = new Uint8Array(size);
      attrs.set(this.attrs);
      this.attrs = attrs;
      const realm = new Int32Array(size).fill(-1);
      realm.set(this.realm);
      this.realm = realm;
    }
    this.count += 1;
    return slot;
  }

  private fill(slot: number, user: UserRecord): void {
    this.users[slot] = user;
    if (slot === this.text.length) this.text.push(searchText(user));
    else this.text[slot] = searchText(user);
    this.attrs[slot] = this.attrsOf(user);
    const realmId = user.origin?.realmId;
    if (realmId === undefined) {
      this.realm[slot] = -1;
      return;
    }
    let no = this.realmNo.get(realmId);
    if (no === undefined) {
      no = this.realmIds.length;
      this.realmIds.push(realmId);
      this.realmNo.set(realmId, no);
    }
    this.realm[slot] = no;
  }

  private attrsOf(user: UserRecord): number {
    const flags = userFlags(user, this.fields);
    return (
      ALIVE |
      (user.kind === 'external' ? EXTERNAL : 0) |
      (user.enabled ? ENABLED : 0) |
      (flags.incomplete ? INCOMPLETE : 0) |
      (flags.completions ? COMPLETIONS : 0) |
      (flags.conflicts ? CONFLICTS : 0) |
      (flags.unexported ? UNEXPORTED : 0)
    );
  }
}
