import type { RequestHandler } from 'express';
import type { AppContext } from '../../app-context.js';
import { fromStoredPayload } from '../../db/payload.js';
import { notFound } from '../../http/api-error.js';
import { sessionTenant } from '../../http/session.js';
import { recordRow } from './record-view.js';

/** GET /api/records/:id — the record with its mapping, last source snapshot and attempts (secrets removed). */
export const getRecord =
  (ctx: AppContext): RequestHandler =>
  async (req, res) => {
    const tenantId = sessionTenant(req);
    const record = await ctx.repos.syncRecords.findById(tenantId, String(req.params.id));
    if (!record) throw notFound('未找到该同步记录');
    const mapping =
      record.direction === 'jdy_to_crm'
        ? await ctx.repos.mappings.byErpId(tenantId, record.object, record.sourceId)
        : await ctx.repos.mappings.byCrmId(tenantId, record.object, record.sourceId);
    res.json({
      ...recordRow(record),
      mapping: mapping
        ? {
            erpId: mapping.erpId,
            crmId: mapping.crmId,
            erpKey: mapping.erpKey,
            createdAt: mapping.createdAt.toISOString(),
          }
        : null,
      snapshot: fromStoredPayload(record.snapshot),
      attempts: record.attempts.map((a) => ({
        at: a.at.toISOString(),
        runId: a.runId,
        request: fromStoredPayload(a.request),
        response: fromStoredPayload(a.response),
        error: a.error,
      })),
    });
  };
