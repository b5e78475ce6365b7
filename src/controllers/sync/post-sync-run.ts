import type { RequestHandler } from 'express';
import Joi from 'joi';
import type { AppContext } from '../../app-context.js';
import { conflict } from '../../http/api-error.js';
import { sessionTenant } from '../../http/session.js';
import { validate } from '../../http/validate.js';
import { OBJECT_KEYS, type ObjectKey } from '../../sync/keys.js';

const body = Joi.object<{ objects?: ObjectKey[] }>({
  objects: Joi.array()
    .items(Joi.string().valid(...OBJECT_KEYS))
    .unique()
    .max(OBJECT_KEYS.length)
    .label('objects'),
});

/** POST /api/sync/run — 立即同步 (all objects, or some). Refused without a connection or a binding. */
export const postSyncRun =
  (ctx: AppContext): RequestHandler =>
  async (req, res) => {
    const { objects } = validate(body, req.body ?? {});
    const tenantId = sessionTenant(req);
    const connection = await ctx.repos.connections.get(tenantId);
    if (!connection) throw conflict('not_connected', '尚未连接精斗云账套，请先在“连接精斗云”页面完成连接');
    if (connection.status === 'paused') {
      throw conflict('sync_paused', `同步已暂停：${connection.pausedReason ?? ''}。请重新连接精斗云后再同步`);
    }
    if ((await ctx.repos.bindings.boundCount(tenantId)) === 0) {
      throw conflict('no_binding', '还没有任何员工绑定，同步不会进行。请先在“员工绑定”页面绑定至少一名员工');
    }
    const run = await ctx.sync.startRun(tenantId, 'manual', objects);
    res.status(202).json({ runId: run._id });
  };
