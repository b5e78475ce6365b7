import type { TenantId } from '../../db/base-repository.js';
import type { CheckpointEntity } from '../../dal/checkpoint/checkpoint.entity.js';
import type { CrmWritebackRepository } from '../../dal/crm-writeback/crm-writeback.repository.js';
import type { MappingRepository } from '../../dal/mapping/mapping.repository.js';
import type { SettingsEntity } from '../../dal/settings/settings.entity.js';
import type { RunTrigger } from '../../dal/sync-run/sync-run.entity.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { ObjectKey } from '../keys.js';
import type { SyncEnv } from '../sync-env.js';

export interface EnvParts {
  tenantId: TenantId;
  clock: Clock;
  logger: Logger;
  settings: SettingsEntity;
  run: { id: string; trigger: RunTrigger };
  erp: SyncEnv['erp'];
  crm: SyncEnv['crm'];
  owners: SyncEnv['owners'];
  connectedAt: number;
  checkpoints: readonly CheckpointEntity[];
  mappings: MappingRepository;
  syncDependency(object: ObjectKey, sourceId: string): Promise<string | null>;
  writebacks: CrmWritebackRepository;
  /** Called after a write-back is put: the tenant's writer must run. */
  writebackPut(): void;
}

/** The engine-side half of a SyncEnv; the outside-system adapters are added by the caller. */
export function baseSyncEnv(parts: EnvParts): SyncEnv {
  const { tenantId, mappings } = parts;
  return {
    tenantId,
    clock: parts.clock,
    logger: parts.logger,
    settings: parts.settings,
    run: parts.run,
    erp: parts.erp,
    crm: parts.crm,
    owners: parts.owners,
    connectedAt: parts.connectedAt,
    initialDone: (object, direction) =>
      parts.checkpoints.some(
        (c) => c.object === object && c.initialDone && (!direction || c.direction === direction),
      ),
    crmIdOf: async (object, erpId) => (await mappings.byErpId(tenantId, object, erpId))?.crmId ?? null,
    erpIdOf: async (object, crmId) => (await mappings.byCrmId(tenantId, object, crmId))?.erpId ?? null,
    mappingOf: (object, erpId) => mappings.byErpId(tenantId, object, erpId),
    syncDependency: parts.syncDependency,
    crmWriteback: {
      owed: (objectApiName, crmId) => parts.writebacks.owed(tenantId, objectApiName, crmId),
      async put(objectApiName, crmId, fields) {
        await parts.writebacks.put(tenantId, objectApiName, crmId, fields, new Date(parts.clock.now()));
        parts.writebackPut();
      },
    },
  };
}
