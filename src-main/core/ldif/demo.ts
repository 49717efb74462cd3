import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { RealmInput } from '#shared/model/realm';
import { copyMapping, LDIF_FLAVOUR_PRESETS } from '#shared/model/realm-presets';
import { RosterError } from '#shared/result';

/** The demo directory's file, relative to the resources folder. */
export const DEMO_LDIF = join('demo', 'directory.ldif');
/** The base DN of the demo directory's domain. */
export const DEMO_BASE_DN = 'DC=demo,DC=example';

/**
 * The `resources` folder holding the demo directory, found by walking up from `from`: the source tree, the
 * built `out/main` and a packaged app all keep it at a different depth.
 */
export function findResourcesDir(from: string = import.meta.dirname): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const candidate = join(dir, 'resources');
    if (existsSync(join(candidate, DEMO_LDIF))) return candidate;
    if (dirname(dir) === dir) break;
  }
  throw new RosterError(
    'not-found',
    `The demo directory (resources/${DEMO_LDIF.replaceAll('\\', '/')}) was not found in ${from} or any folder above it; the installation may be incomplete.`,
  );
}

/** The realm "Try with demo data" adds: the bundled LDIF export of DC=demo,DC=example, read offline. */
export function demoRealmInput(resourcesDir: string): RealmInput {
  const preset = LDIF_FLAVOUR_PRESETS['active-directory'];
  return {
    name: 'Demo directory (offline)',
    kind: 'ldif-file',
    enabled: true,
    connection: { urls: [], tls: 'none', verifyCertificate: true, bindDn: '', connectTimeoutMs: 5_000, operationTimeoutMs: 30_000 },
    ldif: { path: resolve(resourcesDir, DEMO_LDIF), flavour: 'active-directory' },
    search: { baseDn: DEMO_BASE_DN, userFilter: preset.userFilter, scope: 'sub', pageSize: 500 },
    idAttribute: preset.idAttribute,
    mapping: copyMapping(preset.mapping),
  };
}
