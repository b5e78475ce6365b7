import type { TenantId } from '../db/base-repository.js';
import type { CrmFields } from '../dal/crm-writeback/crm-writeback.repository.js';
import type { MappingEntity } from '../dal/mapping/mapping.entity.js';
import type { SettingsEntity } from '../dal/settings/settings.entity.js';
import type { RunTrigger } from '../dal/sync-run/sync-run.entity.js';
import type { Clock } from '../lib/clock.js';
import type { ErpSyncAdapter } from '../erp/plugin.js';
import type { FxClient } from '../fxiaoke/client/index.js';
import type { Logger } from '../lib/logger.js';
import type { Direction, ObjectKey } from './keys.js';
import type { Owners } from './owners.js';

/**
 * What an object module sees of one tenant during a run: its settings, the run, the mappings of
 * other objects (to resolve references), and the outside systems (added by the adapters' wiring).
 */
export interface SyncEnv {
  tenantId: TenantId;
  clock: Clock;
  logger: Logger;
  settings: SettingsEntity;
  run: { id: string; trigger: RunTrigger };
  /** The connected ERP account set. */
  erp: ErpSyncAdapter;
  /** The CRM, acting as the plugin's user in this tenant (the admin who connected). */
  crm: FxClient;
  /** Owners from the employee bindings. */
  owners: Owners;
  /** When the tenant connected its account set: CRM → ERP reading starts there. */
  connectedAt: number;
  /** Whether an object's first full sync (in one direction, or any) is done for this tenant. */
  initialDone(object: ObjectKey, direction?: Direction): boolean;
  /** The CRM id mapped to an ERP id of an object (references such as a product's category). */
  crmIdOf(object: ObjectKey, erpId: string): Promise<string | null>;
  /** The ERP id mapped to a CRM id (CRM → ERP references such as an order's customer). */
  erpIdOf(object: ObjectKey, crmId: string): Promise<string | null>;
  /** The mapping of a source record of the object being synced, if any. */
  mappingOf(object: ObjectKey, erpId: string): Promise<MappingEntity | null>;
  /**
   * Syncs another object's record now (an order's customer before the order); answers the
   * target id, or null when that record could not be synced (its own sync record says why).
   * Throws a passing error when that record is held up by one: the caller waits for a retry too.
   */
  syncDependency(object: ObjectKey, sourceId: string): Promise<string | null>;
  /**
   * The plugin's bookkeeping writes to CRM records (an order's 同步状态), done in the background
   * so a sync never waits for the CRM's rate limit on them; the last value put for a record wins.
   */
  crmWriteback: {
    /** The fields still owed to a record (put, not yet written), or null. */
    owed(objectApiName: string, crmId: string): Promise<CrmFields | null>;
    put(objectApiName: string, crmId: string, fields: CrmFields): Promise<void>;
  };
}
