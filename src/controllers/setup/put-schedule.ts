import type { RequestHandler } from 'express';
import Joi from 'joi';
import type { AppContext } from '../../app-context.js';
import type { ScheduleSettings } from '../../dal/settings/settings.entity.js';
import { badRequest } from '../../http/api-error.js';
import { sessionTenant } from '../../http/session.js';
import { validate } from '../../http/validate.js';

const MINUTES_PER_DAY = 1440;
const minutes = (label: string) => Joi.number().integer().min(1).max(MINUTES_PER_DAY).required().label(label);
const time = (label: string) =>
  Joi.string()
    .pattern(/^([01]\d|2[0-3]):[0-5]\d$/)
    .required()
    .label(label);

const body = Joi.object<ScheduleSettings>({
  mode: Joi.string().valid('manual', 'timed').required().label('同步方式'),
  intervalMinutes: minutes('同步间隔（分钟）'),
  inventoryIntervalMinutes: minutes('库存同步间隔（分钟）'),
  window: Joi.object({ start: time('开始时间'), end: time('结束时间') })
    .allow(null)
    .required()
    .label('同步时段'),
});

/**
 * PUT /api/schedule — saves the sync mode. Timed: the tenant's repeating jobs are (re)saved with
 * the new intervals, one set per tenant (once connected; connecting schedules them otherwise).
 * Manual: its jobs are removed and nothing runs until 立即同步.
 */
export const putSchedule =
  (ctx: AppContext): RequestHandler =>
  async (req, res) => {
    const schedule = validate(body, req.body);
    // A window may cross midnight (22:00–06:00); one that starts where it ends is no window.
    if (schedule.window && schedule.window.start === schedule.window.end) {
      const message = '同步时段的开始和结束时间不能相同';
      throw badRequest('invalid_input', message, [{ field: 'window', message }]);
    }
    const tenantId = sessionTenant(req);
    await ctx.repos.settings.update(tenantId, { schedule }, new Date(ctx.clock.now()));
    if (schedule.mode === 'manual') await ctx.sync.unscheduleTenant(tenantId);
    else if (await ctx.repos.connections.get(tenantId)) await ctx.sync.scheduleTenant(tenantId);
    res.json(schedule);
  };
