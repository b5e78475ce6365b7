import type { RequestHandler } from 'express';
import type { AppContext } from '../../app-context.js';
import { sessionTenant } from '../../http/session.js';
import { presetViews } from './preset-view.js';

/** GET /api/presets — 产品品牌, 客户分类, 仓库: on or off, and what the CRM still lacks. */
export const getPresets =
  (ctx: AppContext): RequestHandler =>
  async (req, res) => {
    res.json(presetViews(await ctx.repos.settings.get(sessionTenant(req))));
  };
