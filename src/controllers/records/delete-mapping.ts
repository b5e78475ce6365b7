import type { RequestHandler } from 'express';
import type { AppContext } from '../../app-context.js';
import { notFound } from '../../http/api-error.js';
import { sessionTenant } from '../../http/session.js';

/**
 * DELETE /api/records/:id/mapping — forget the link between the two records only: nothing is
 * deleted in either system; the next sync of the source record looks its target up again.
 */
export const deleteMapping =
  (ctx: AppContext): RequestHandler =>
  async (req, res) => {
    const tenantId = sessionTenant(req);
    const record = await ctx.repos.syncRecords.findById(tenantId, String(req.params.id));
    if (!record) throw notFound('未找到该同步记录');
    const mapping =
      record.direction === 'jdy_to_crm'
        ? await ctx.repos.mappings.byErpId(tenantId, record.object, record.sourceId)
        : await ctx.repos.mappings.byCrmId(tenantId, record.object, record.sourceId);
    if (!mapping) throw notFound('该记录没有映射');
    await ctx.repos.mappings.forget(tenantId, record.object, mapping.erpId);
    await ctx.repos.syncRecords.updateOne(tenantId, { _id: record._id }, { $set: { contentHash: null } });
    res.status(204).end();
  };
