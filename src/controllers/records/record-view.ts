import type { SyncRecordEntity } from '../../dal/sync-record/sync-record.entity.js';

/** A log row as the plugin API lists it. */
export const recordRow = (r: SyncRecordEntity) => ({
  id: r._id,
  object: r.object,
  direction: r.direction,
  sourceId: r.sourceId,
  sourceKey: r.sourceKey,
  targetId: r.targetId,
  status: r.status,
  reason: r.reason,
  errorClass: r.errorClass,
  attempts: r.attemptCount,
  nextRetryAt: r.nextRetryAt?.toISOString() ?? null,
  updatedAt: r.updatedAt.toISOString(),
});
