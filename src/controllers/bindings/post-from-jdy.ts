import type { RequestHandler } from 'express';
import Joi from 'joi';
import type { AppContext } from '../../app-context.js';
import type { CrmUserRef } from '../../bindings/sheet/import.js';
import type { TenantId } from '../../db/base-repository.js';
import type { ErpEmployee } from '../../erp/plugin.js';
import { badRequest } from '../../http/api-error.js';
import { sessionTenant } from '../../http/session.js';
import { validate } from '../../http/validate.js';
import { normalizeMobile } from '../../lib/mobile.js';
import { crmDirectory } from '../crm/crm-directory.js';
import { fetchJdyEmployees, rememberJdyEmployees } from '../jdy/jdy-employees.js';
import { bindingView, heldBy } from './binding-view.js';

const body = Joi.object<{ jdyEmpIds: string[] }>({
  jdyEmpIds: Joi.array().items(Joi.string().max(64)).min(1).max(5000).unique().required().label('精斗云职员'),
});

/** Groups by normalised mobile; people without a valid mobile are left out. */
function byMobile<T>(items: readonly T[], mobileOf: (item: T) => string | null): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const mobile = normalizeMobile(mobileOf(item));
    if (mobile) map.set(mobile, [...(map.get(mobile) ?? []), item]);
  }
  return map;
}

/**
 * Binds one employee to the only CRM user with the same mobile; answers why not otherwise (null
 * when bound). A mobile shared by several employees binds none of them: no guessing which one.
 */
async function autoBind(
  ctx: AppContext,
  tenantId: TenantId,
  employee: ErpEmployee,
  employeesByMobile: Map<string, ErpEmployee[]>,
  usersByMobile: Map<string, CrmUserRef[]>,
): Promise<string | null> {
  const mobile = normalizeMobile(employee.mobile);
  if (!mobile) return '精斗云中该职员没有登记有效的手机号，请手动选择纷享员工';
  const sharing = employeesByMobile.get(mobile)?.length ?? 0;
  if (sharing > 1) return `精斗云中有 ${sharing} 名职员使用手机号 ${mobile}，请手动选择纷享员工`;
  const users = usersByMobile.get(mobile) ?? [];
  if (users.length === 0) return `纷享销客中没有手机号为 ${mobile} 的员工，请手动选择纷享员工`;
  const [user, ...others] = users;
  if (!user || others.length > 0) {
    return `手机号 ${mobile} 对应 ${users.length} 名纷享员工（${users.map((u) => u.name).join('、')}），请手动选择`;
  }
  const now = new Date(ctx.clock.now());
  const bound = await ctx.repos.bindings.bind(tenantId, employee.id, user.crmUserId, user.name, 'auto', now);
  return bound.ok ? null : `手机号相同的${heldBy(user.name, bound.conflict)}，请手动选择`;
}

/**
 * POST /api/bindings/from-jdy — adds the ticked JDY employees to the bindings and binds each to the
 * CRM user with the same mobile when there is exactly one. Answers the employees' bindings, each
 * with `reason` (Chinese) when it was left unbound. Employees already bound are left as they are.
 */
export const postBindingsFromJdy =
  (ctx: AppContext): RequestHandler =>
  async (req, res) => {
    const { jdyEmpIds } = validate(body, req.body);
    const tenantId = sessionTenant(req);
    const employees = await fetchJdyEmployees(ctx, tenantId);
    const byId = new Map(employees.map((e) => [e.id, e]));
    const unknown = jdyEmpIds.filter((id) => !byId.has(id));
    if (unknown.length) {
      throw badRequest(
        'unknown_employee',
        `精斗云中没有这些职员（可能已被删除），请刷新后重试：${unknown.slice(0, 10).join('、')}`,
        unknown.map((id) => ({ field: 'jdyEmpIds', message: `精斗云中没有职员 ${id}`, jdyEmpId: id })),
      );
    }
    const users = await crmDirectory(ctx, req);
    await rememberJdyEmployees(ctx, tenantId, employees);
    const alreadyBound = (await ctx.repos.bindings.maps(tenantId)).crmByErp;
    const employeesByMobile = byMobile(employees, (e) => e.mobile);
    const usersByMobile = byMobile(users, (u) => u.mobile);
    const reasons = new Map<string, string | null>();
    for (const id of jdyEmpIds) {
      const employee = byId.get(id);
      if (!employee || alreadyBound.has(id)) continue;
      reasons.set(id, await autoBind(ctx, tenantId, employee, employeesByMobile, usersByMobile));
    }
    const rows = new Map((await ctx.repos.bindings.list(tenantId)).map((b) => [b.jdyEmpId, b]));
    res.json(
      jdyEmpIds.flatMap((id) => {
        const row = rows.get(id);
        return row ? [{ ...bindingView(row), reason: reasons.get(id) ?? null }] : [];
      }),
    );
  };
