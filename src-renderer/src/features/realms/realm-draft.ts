import { presetFor, realmFromPreset } from '#shared/model/realm-presets';
import { formatSources } from '#shared/model/realm-mapping';
import { MAPPABLE_FIELDS, type LdifFlavour, type MappableField, type RealmInput, type RealmKind, type TlsMode } from '#shared/model/realm';

/** The realm form's values as typed: numbers stay strings until validation, timeouts are in seconds. */
export interface RealmDraft {
  name: string;
  kind: RealmKind;
  /** For `ldif-file` realms: the LDIF export to read. */
  ldifPath: string;
  /** For `ldif-file` realms: the directory the export came from, once detected or chosen ('' = not known yet). */
  ldifFlavour: LdifFlavour | '';
  urls: string[];
  tls: TlsMode;
  caCertPem: string;
  verifyCertificate: boolean;
  bindDn: string;
  /** Typed now; empty means "keep the current one". Never filled from main, and emptied once handed to main. */
  password: string;
  /**
   * The target (see `bindTargetKey`) a password typed in this form was handed to main for (by a Test), or
   * null. Main keeps it for the session; Save asks main to save it when the target is still the same.
   */
  passwordGivenFor: string | null;
  forgetPassword: boolean;
  connectTimeoutS: string;
  operationTimeoutS: string;
  baseDn: string;
  userFilter: string;
  scope: 'sub' | 'one';
  pageSize: string;
  idAttribute: string;
  /** Per field, the attribute list as typed: `displayName, cn, givenName+sn`. */
  mapping: Record<MappableField, string>;
}

const fullMapping = (mapping: Partial<Record<MappableField, string[]>>): Record<MappableField, string> =>
  Object.fromEntries(MAPPABLE_FIELDS.map((f) => [f, formatSources(mapping[f])])) as Record<MappableField, string>;

const seconds = (ms: number): string => String(ms / 1000);

/** The draft for a saved realm (or any realm input). */
export function draftFromRealm(realm: RealmInput): RealmDraft {
  const { connection: c, search: s } = realm;
  return {
    name: realm.name,
    kind: realm.kind,
    ldifPath: realm.ldif?.path ?? '',
    ldifFlavour: realm.ldif?.flavour ?? '',
    urls: c.urls.length ? [...c.urls] : [''],
    tls: c.tls,
    caCertPem: c.caCertPem ?? '',
    verifyCertificate: c.verifyCertificate,
    bindDn: c.bindDn,
    password: '',
    passwordGivenFor: null,
    forgetPassword: false,
    connectTimeoutS: seconds(c.connectTimeoutMs),
    operationTimeoutS: seconds(c.operationTimeoutMs),
    baseDn: s.baseDn,
    userFilter: s.userFilter,
    scope: s.scope,
    pageSize: String(s.pageSize),
    idAttribute: realm.idAttribute,
    mapping: fullMapping(realm.mapping),
  };
}

/** A blank draft for a new realm, pre-filled from the kind's preset. */
export const newDraft = (kind: RealmKind = 'active-directory'): RealmDraft =>
  draftFromRealm(realmFromPreset(kind, { name: '', urls: [''], bindDn: '', baseDn: '' }));

/** Whether the realm reads an LDIF file instead of a server (no server, TLS or bind settings). */
export const isFileRealm = (draft: Pick<RealmDraft, 'kind'>): boolean => draft.kind === 'ldif-file';

/** The draft with the kind's preset filter, id attribute and mapping (for an LDIF file, its flavour's). */
export function withPreset(draft: RealmDraft, kind: RealmKind, flavour: LdifFlavour | '' = kind === 'ldif-file' ? draft.ldifFlavour : ''): RealmDraft {
  const preset = presetFor(kind, flavour || undefined);
  return { ...draft, kind, ldifFlavour: flavour, userFilter: preset.userFilter, idAttribute: preset.idAttribute, mapping: fullMapping(preset.mapping) };
}

/** Whether two drafts describe the same realm settings (the password fields aside). */
export function sameSettings(a: RealmDraft, b: RealmDraft): boolean {
  const strip = ({ password: _p, passwordGivenFor: _g, forgetPassword: _f, ...rest }: RealmDraft) => rest;
  return JSON.stringify(strip(a)) === JSON.stringify(strip(b));
}

/**
 * Where a password would be sent: the URLs, TLS mode, CA, verification and bind DN, as one comparable
 * string. Main binds a kept password to exactly these and refuses it for any other.
 */
export const bindTargetKey = (d: Pick<RealmDraft, 'urls' | 'tls' | 'caCertPem' | 'verifyCertificate' | 'bindDn'>): string =>
  JSON.stringify([d.urls.map((u) => u.trim()).filter(Boolean), d.tls, d.caCertPem.trim(), d.verifyCertificate, d.bindDn.trim()]);

/** Whether the draft sends a password somewhere other than the saved realm does (so a kept one is not used). */
export const targetChanged = (draft: RealmDraft, baseline: RealmDraft): boolean => bindTargetKey(draft) !== bindTargetKey(baseline);

/** Whether the draft differs from what is saved, a typed (or handed over, unsaved) password included. */
export const isDirty = (draft: RealmDraft, baseline: RealmDraft): boolean =>
  draft.password !== '' ||
  draft.passwordGivenFor !== baseline.passwordGivenFor ||
  draft.forgetPassword !== baseline.forgetPassword ||
  !sameSettings(draft, baseline);
