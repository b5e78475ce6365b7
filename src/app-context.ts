import type { Connection } from 'mongoose';
import type { Config } from './config.js';
import type { Clock } from './lib/clock.js';
import type { Logger } from './lib/logger.js';
import type { Metrics } from './lib/metrics.js';
import type { SecretBox } from './lib/secret-box.js';
import type { Scheduler } from './jobs/scheduler.js';
import type { TenantKicker } from './jobs/tenant-kicker.js';
import type { TenantRepository } from './dal/tenant/tenant.repository.js';
import type { TokenRepository } from './dal/token/token.repository.js';
import type { SessionRepository } from './dal/session/session.repository.js';
import type { CrmEventRepository } from './dal/crm-event/crm-event.repository.js';
import type { CrmWritebackRepository } from './dal/crm-writeback/crm-writeback.repository.js';
import type { FxCrm } from './fxiaoke/client/index.js';
import type { ErpPlugin } from './erp/plugin.js';
import type { SyncService } from './sync/service.js';
import type { SetupService } from './setup/service.js';
import type { ConnectionRepository } from './dal/connection/connection.repository.js';
import type { SettingsRepository } from './dal/settings/settings.repository.js';
import type { BindingRepository } from './dal/binding/binding.repository.js';
import type { MappingRepository } from './dal/mapping/mapping.repository.js';
import type { SyncRecordRepository } from './dal/sync-record/sync-record.repository.js';
import type { SyncRunRepository } from './dal/sync-run/sync-run.repository.js';
import type { CheckpointRepository } from './dal/checkpoint/checkpoint.repository.js';
import type { LockRepository } from './dal/lock/lock.repository.js';
import type { ErpLoginRepository } from './dal/erp-login/erp-login.repository.js';

/**
 * The composition root's output: every side effect (clock, database, scheduler, outside systems)
 * as an object a service receives, so services test without network and tests swap what they need.
 */
export interface AppContext {
  config: Config;
  logger: Logger;
  clock: Clock;
  conn: Connection;
  scheduler: Scheduler;
  /** Queues a tenant's event job shortly after its change events arrive (one queueing for a burst). */
  crmEventKicker: TenantKicker;
  metrics: Metrics;
  box: SecretBox;
  /** The CRM: one transport (tokens, rate limits) and describe cache per process. */
  fx: FxCrm;
  /** The ERP plugin (Jingdouyun): login, account sets, employees, and the sync adapter. */
  erp: ErpPlugin;
  /** Sync runs as jobs: manual, timed, event-driven, retries. */
  sync: SyncService;
  /** CRM fields and presets. */
  setup: SetupService;
  repos: {
    tenants: TenantRepository;
    tokens: TokenRepository;
    sessions: SessionRepository;
    crmEvents: CrmEventRepository;
    crmWritebacks: CrmWritebackRepository;
    connections: ConnectionRepository;
    settings: SettingsRepository;
    bindings: BindingRepository;
    mappings: MappingRepository;
    syncRecords: SyncRecordRepository;
    runs: SyncRunRepository;
    checkpoints: CheckpointRepository;
    locks: LockRepository;
    erpLogins: ErpLoginRepository;
  };
}
