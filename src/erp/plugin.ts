/**
 * What an ERP plugin provides to the host. The host (src/) knows the CRM, the database, the
 * scheduler and the sync engine; a plugin (plugins/<erp>/) knows one ERP's API and speaks to the
 * host only through these ERP-neutral types. Adding another ERP (K3 Cloud, U8…) = another folder
 * that exports an ErpPlugin, registered in src/erp/registry.ts; nothing in the engine changes.
 */

/** An account set (账套) the signed-in ERP user can see. */
export interface ErpAccountSet {
  accountId: string;
  accountName: string;
  groupName: string;
  serviceId: string;
  /** The account set itself is enabled in the ERP. */
  enabled: boolean;
  /** The plugin's app is authorised on it (connecting needs both). */
  authorised: boolean;
}

/** The result of an ERP login: the account sets, and an opaque state the connect step needs. */
export interface ErpLogin {
  accountSets: ErpAccountSet[];
  /** Opaque to the host; holds short-lived credentials, so the host seals it at rest. */
  state: string;
}

/** A live connection to one account set. `secrets` is opaque to the host and sealed at rest. */
export interface ErpConnection {
  accountId: string;
  accountName: string;
  secrets: string;
}

/** An ERP employee (职员), bound one-to-one to a CRM user by the admin. */
export interface ErpEmployee {
  id: string;
  number: string;
  name: string;
  /** As the ERP stores it; the host normalises before comparing. */
  mobile: string;
  enabled: boolean;
}

/**
 * Given to a plugin at construction: persists refreshed connection secrets (e.g. a rotated app
 * secret) so every process uses them; the host stores them sealed.
 */
export type SecretsChanged = (accountId: string, secrets: string) => Promise<void>;

/** The connection part of an ERP plugin: login, account sets, connect, employees. */
export interface ErpConnector {
  /** How the ERP wants its login written, checked before any call (null = acceptable). */
  checkLogin(login: string): string | null;
  login(login: string, password: string): Promise<ErpLogin>;
  connect(login: ErpLogin, accountId: string): Promise<ErpConnection>;
  employees(connection: ErpConnection): AsyncIterable<ErpEmployee>;
}

export interface ErpPlugin {
  /** Stable id stored with every connection ("jingdouyun"). */
  id: string;
  /** The ERP's name as users know it (金蝶精斗云). */
  displayName: string;
  connector: ErpConnector;
}
