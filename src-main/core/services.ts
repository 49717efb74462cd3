import type { AppInfo } from '../../src-shared/ipc/contract';
import { AppEvents } from './events';
import { RealmService } from './realms/realm-service';
import type { SecretStore } from './secrets/secret-store';
import { Store } from './store/store';

/** Everything a handler may use; built once per process, whatever the transport. */
export interface Services {
  store: Store;
  secrets: SecretStore;
  realms: RealmService;
  events: AppEvents;
  info: AppInfo;
  close(): Promise<void>;
}

/** How to build the services: the caller decides paths, clock, secrets and who it is. */
export interface ServiceOptions {
  dataDir: string;
  owner: string;
  transport: AppInfo['transport'];
  secrets: SecretStore;
  version: string;
  readOnly?: boolean;
  now?: () => Date;
}

/** Opens the store and wires the services over it. */
export async function openServices(options: ServiceOptions): Promise<Services> {
  const store = await Store.open({ dataDir: options.dataDir, owner: options.owner, readOnly: options.readOnly, now: options.now });
  const events = new AppEvents();
  const realms = new RealmService(store, options.secrets, events, options.now);
  return {
    store,
    secrets: options.secrets,
    realms,
    events,
    info: {
      version: options.version,
      dataDir: options.dataDir,
      transport: options.transport,
      secrets: { persistent: options.secrets.persistent, ...(options.secrets.reason ? { reason: options.secrets.reason } : {}) },
      notices: store.notices,
    },
    close: () => store.close(),
  };
}
