import type { RequestHandler } from 'express';
import type { AppContext } from '../../app-context.js';
import { PRESET_KEYS, type PresetKey } from '../../dal/settings/settings.entity.js';
import { conflict, notFound } from '../../http/api-error.js';
import { sessionTenant, signedIn } from '../../http/session.js';
import { crmFailure } from '../jdy/erp-errors.js';
import { presetView } from './preset-view.js';

const isPresetKey = (key: string): key is PresetKey => (PRESET_KEYS as readonly string[]).includes(key);

const alreadyOn = () => conflict('preset_already_enabled', '该预设已开启，开启后不能关闭');

/**
 * POST /api/presets/:key/enable — turns a preset on for good: creates its CRM fields (§4) and
 * starts that part of the sync. When the CRM refuses to create them (no metadata permission) the
 * preset stays on, waiting: the answer lists the fields to create by hand, and 重新检查 finishes
 * it. A preset already on is a 409; there is no way to turn one off.
 */
export const postEnablePreset =
  (ctx: AppContext): RequestHandler =>
  async (req, res) => {
    const key = String(req.params.key);
    if (!isPresetKey(key)) throw notFound('没有这个预设');
    const tenantId = sessionTenant(req);
    const before = await ctx.repos.settings.get(tenantId);
    if (before.presets[key] || before.presetsRequested.includes(key)) throw alreadyOn();
    const outcome = await ctx.setup
      .enablePreset(tenantId, key, signedIn(req).session.openUserId)
      .catch((e: unknown) => {
        throw crmFailure(e);
      });
    if (outcome === 'already_enabled') throw alreadyOn();
    res.json(presetView(await ctx.repos.settings.get(tenantId), key));
  };
