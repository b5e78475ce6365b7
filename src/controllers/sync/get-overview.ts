import type { RequestHandler } from 'express';
import type { AppContext } from '../../app-context.js';
import { sessionTenant } from '../../http/session.js';
import { DIRECTIONS, OBJECT_KEYS } from '../../sync/keys.js';

/**
 * GET /api/overview — per direction and object: synced / failed / waiting / total, the enabled
 * objects, the last and next run, and the connection state for the banner.
 */
export const getOverview =
  (ctx: AppContext): RequestHandler =>
  async (req, res) => {
    const tenantId = sessionTenant(req);
    const [counts, recent, connection, enabled, nextRunAt] = await Promise.all([
      ctx.repos.syncRecords.counts(tenantId),
      ctx.repos.runs.recent(tenantId, 1),
      ctx.repos.connections.get(tenantId),
      ctx.sync.enabledObjects(tenantId),
      ctx.sync.nextRunAt(tenantId),
    ]);
    const out: Record<string, unknown> = {};
    for (const direction of DIRECTIONS) {
      const byObject: Record<string, { synced: number; failed: number; waiting: number; total: number }> = {};
      // Enabled objects, and objects that synced before but no longer run (the first customer import).
      const keys = OBJECT_KEYS.filter(
        (k) => enabled.some((e) => e.key === k && e.direction === direction) || counts[direction][k],
      );
      for (const key of keys) {
        const c = counts[direction][key] ?? {};
        byObject[key] = {
          synced: c.synced ?? 0,
          failed: (c.failed ?? 0) + (c.pending ?? 0),
          waiting: c.waiting ?? 0,
          total: Object.values(c).reduce((a, b) => a + (b ?? 0), 0),
        };
      }
      out[direction] = byObject;
    }
    const last = recent[0];
    res.json({
      ...out,
      lastRunAt: (last?.finishedAt ?? last?.startedAt ?? null)?.toISOString() ?? null,
      lastRun: last
        ? { runId: last._id, status: last.status, trigger: last.trigger, progress: last.progress }
        : null,
      nextRunAt: nextRunAt?.toISOString() ?? null,
      connection: connection
        ? {
            status: connection.status,
            accountName: connection.accountName,
            pausedReason: connection.pausedReason,
          }
        : { status: 'none' },
    });
  };
