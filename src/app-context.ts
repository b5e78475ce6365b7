import type { Connection } from 'mongoose';
import type { Config } from './config.js';
import type { Clock } from './lib/clock.js';
import type { Logger } from './lib/logger.js';
import type { Metrics } from './lib/metrics.js';
import type { SecretBox } from './lib/secret-box.js';
import type { Scheduler } from './jobs/scheduler.js';
import type { TenantRepository } from './dal/tenant/tenant.repository.js';

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
  metrics: Metrics;
  box: SecretBox;
  repos: {
    tenants: TenantRepository;
  };
}
