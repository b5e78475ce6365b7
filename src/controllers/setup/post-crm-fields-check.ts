import type { RequestHandler } from 'express';
import type { AppContext } from '../../app-context.js';
import { sessionTenant, signedIn } from '../../http/session.js';
import { crmFailure } from '../jdy/erp-errors.js';
import { presetViews } from './preset-view.js';

/**
 * POST /api/crm-fields/check — 重新检查: the order-sync fields and those of every preset turned on
 * (§4) are looked up again and created where possible; a preset waiting for its fields starts
 * once they exist. Answers what is still missing, over all of them, and the presets.
 */
export const postCrmFieldsCheck =
  (ctx: AppContext): RequestHandler =>
  async (req, res) => {
    const tenantId = sessionTenant(req);
    await ctx.setup.recheck(tenantId, signedIn(req).session.openUserId).catch((e: unknown) => {
      throw crmFailure(e);
    });
    const settings = await ctx.repos.settings.get(tenantId);
    const checks = Object.values(settings.crmSetup);
    const missing = checks.flatMap((c) => (c.ready ? [] : c.missing));
    res.json({
      ready: missing.length === 0,
      missing,
      message: checks.find((c) => !c.ready && c.message)?.message ?? null,
      presets: presetViews(settings),
    });
  };
