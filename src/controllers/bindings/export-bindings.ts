import type { RequestHandler } from 'express';
import type { AppContext } from '../../app-context.js';
import { buildBindingExport } from '../../bindings/sheet/export.js';
import { sessionTenant } from '../../http/session.js';
import { crmDirectory } from '../crm/crm-directory.js';
import { sendXlsx } from './send-xlsx.js';

/**
 * GET /api/bindings/export — the current bindings in the template's layout, with each CRM user's
 * mobile from the directory, so the file can be edited and imported again.
 */
export const exportBindings =
  (ctx: AppContext): RequestHandler =>
  async (req, res) => {
    const bound = (await ctx.repos.bindings.list(sessionTenant(req))).filter((b) => b.crmUserId);
    const mobiles = new Map((await crmDirectory(ctx, req)).map((u) => [u.crmUserId, u.mobile]));
    const file = await buildBindingExport(
      bound.map((b) => ({
        jdyNumber: b.jdyNumber,
        jdyName: b.jdyName,
        jdyMobile: b.jdyMobile,
        crmUserName: b.crmUserName,
        crmMobile: mobiles.get(b.crmUserId ?? '') ?? null,
      })),
    );
    sendXlsx(res, '员工绑定.xlsx', file);
  };
