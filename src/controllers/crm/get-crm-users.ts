import type { RequestHandler } from 'express';
import type { AppContext } from '../../app-context.js';
import { crmDirectory } from './crm-directory.js';

/** GET /api/crm-users — the CRM users the pages' pickers offer: `[{ crmUserId, name, mobile }]`. */
export const getCrmUsers =
  (ctx: AppContext): RequestHandler =>
  async (req, res) => {
    res.json(await crmDirectory(ctx, req));
  };
