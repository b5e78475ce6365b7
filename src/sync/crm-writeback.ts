import type { TenantId } from '../db/base-repository.js';
import type { CrmWritebackRepository } from '../dal/crm-writeback/crm-writeback.repository.js';
import type { FxClient } from '../fxiaoke/client/index.js';
import type { Clock } from '../lib/clock.js';
import { classOf, messageOf } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import { mapLimit } from '../lib/map-limit.js';

const BATCH = 100;
const IN_FLIGHT = 8;
const FIRST_DELAY_MS = 5_000;
const MAX_DELAY_MS = 5 * 60_000;

export interface WritebackOutcome {
  written: number;
  dropped: number;
  /** The CRM refused the plugin's authorisation: nothing more was tried. */
  authLost: boolean;
  /** When the next postponed write is due (the caller queues itself again), or null. */
  nextDueAt: Date | null;
}

/**
 * Does the writes the tenant owes its CRM records, several at a time, until none is due. Each is
 * a whole value (repeating it is harmless), sent without workflow so it does not come back as a
 * change event. A passing failure is postponed (5 s, doubling, at most 5 min); a data error (the
 * record was deleted or refuses the value) drops the write with a log line; lost authorisation
 * stops the flush and leaves everything owed.
 */
export async function flushCrmWritebacks(
  repo: CrmWritebackRepository,
  crm: { data: Pick<FxClient['data'], 'update'> },
  clock: Clock,
  logger: Logger,
  tenantId: TenantId,
): Promise<WritebackOutcome> {
  const outcome: WritebackOutcome = { written: 0, dropped: 0, authLost: false, nextDueAt: null };
  for (;;) {
    const due = await repo.due(tenantId, new Date(clock.now()), BATCH);
    if (due.length === 0) break;
    await mapLimit(due, IN_FLIGHT, async (write) => {
      if (outcome.authLost) return;
      try {
        const fields = JSON.parse(write.fields) as Record<string, unknown>;
        await crm.data.update(write.objectApiName, write.crmId, fields, { triggerWorkFlow: false });
        await repo.done(tenantId, write);
        outcome.written++;
      } catch (error) {
        const errorClass = classOf(error);
        if (errorClass === 'transient') {
          const delay = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** write.attempts);
          await repo.postpone(tenantId, write, messageOf(error), new Date(clock.now() + delay));
        } else if (errorClass === 'auth') {
          outcome.authLost = true;
        } else {
          logger.warn(
            { object: write.objectApiName, crmId: write.crmId, err: messageOf(error) },
            'CRM write-back dropped',
          );
          await repo.done(tenantId, write);
          outcome.dropped++;
        }
      }
    });
    if (outcome.authLost) break;
  }
  outcome.nextDueAt = await repo.nextDue(tenantId);
  return outcome;
}
