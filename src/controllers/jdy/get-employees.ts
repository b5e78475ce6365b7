import type { RequestHandler } from 'express';
import type { AppContext } from '../../app-context.js';
import { sessionTenant } from '../../http/session.js';
import { fetchJdyEmployees, rememberJdyEmployees } from './jdy-employees.js';

/**
 * GET /api/jdy/employees — the account set's employees, `bound` when a CRM user is bound to them.
 * Each gets its row in the bindings table, so the bindings page lists them all.
 */
export const getJdyEmployees =
  (ctx: AppContext): RequestHandler =>
  async (req, res) => {
    const tenantId = sessionTenant(req);
    const employees = await fetchJdyEmployees(ctx, tenantId);
    await rememberJdyEmployees(ctx, tenantId, employees);
    const bound = new Set((await ctx.repos.bindings.maps(tenantId)).crmByErp.keys());
    res.json(
      employees.map((e) => ({
        jdyEmpId: e.id,
        number: e.number,
        name: e.name,
        mobile: e.mobile,
        bound: bound.has(e.id),
      })),
    );
  };
