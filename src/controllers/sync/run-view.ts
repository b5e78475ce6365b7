import type { SyncRunEntity } from '../../dal/sync-run/sync-run.entity.js';

/** A run as the plugin API shows it. */
export const runView = (r: SyncRunEntity) => ({
  runId: r._id,
  trigger: r.trigger,
  objects: r.objects,
  status: r.status,
  startedAt: r.startedAt?.toISOString() ?? null,
  finishedAt: r.finishedAt?.toISOString() ?? null,
  counts: r.counts,
  progress: r.progress,
  error: r.error,
});
