// What the LDAP benchmarks share: a data folder's services opened as the CLI opens them, and a realm over a
// private slapd of either flavour with the page size the references use.
import type { RealmInput, TLS_MODES } from '#shared/model/realm';
import { realmFromPreset } from '#shared/model/realm-presets';
import type { SlapdServer } from '../e2e/fixtures/slapd';
import { SessionSecretStore } from '../src-main/core/secrets/secret-store';
import { openServices, type Services } from '../src-main/core/services';

/** The services over a data folder, as `roster` opens them. */
export const openBenchServices = (dataDir: string): Promise<Services> =>
  openServices({ dataDir, owner: 'bench', transport: 'cli', secrets: new SessionSecretStore('bench'), version: 'bench', actor: 'bench' });

/** A realm named "bench" over `server`, with the flavour's preset and pages of 1,000 (as ldapsearch -E pr=1000). */
export function benchRealmInput(server: SlapdServer, flavor: 'openldap' | 'ad', tls: (typeof TLS_MODES)[number] = 'none'): RealmInput {
  const input = realmFromPreset(flavor === 'ad' ? 'active-directory' : 'openldap', {
    name: 'bench',
    urls: [server.url],
    bindDn: server.readerDn,
    baseDn: server.baseDn,
    tls,
  });
  input.search.pageSize = 1000;
  return input;
}
