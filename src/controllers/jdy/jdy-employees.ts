import type { AppContext } from '../../app-context.js';
import type { TenantId } from '../../db/base-repository.js';
import type { ErpEmployee } from '../../erp/plugin.js';
import { conflict } from '../../http/api-error.js';
import { erpFailure } from './erp-errors.js';

/** Every employee (职员) of the connected account set, enabled or not; 409 without a connection. */
export async function fetchJdyEmployees(ctx: AppContext, tenantId: TenantId): Promise<ErpEmployee[]> {
  const entity = await ctx.repos.connections.get(tenantId);
  if (!entity) throw conflict('not_connected', '尚未连接精斗云账套，请先在“连接精斗云”页面完成连接');
  const employees: ErpEmployee[] = [];
  try {
    for await (const e of ctx.erp.connector.employees(ctx.repos.connections.open(entity))) employees.push(e);
  } catch (error) {
    throw erpFailure(error);
  }
  return employees;
}

/**
 * Gives each employee its row in the bindings table (keeping any binding) and refreshes number,
 * name and mobile where Jingdouyun changed them; unchanged rows are not written.
 */
export async function rememberJdyEmployees(
  ctx: AppContext,
  tenantId: TenantId,
  employees: readonly ErpEmployee[],
): Promise<void> {
  const known = new Map((await ctx.repos.bindings.list(tenantId)).map((b) => [b.jdyEmpId, b]));
  const now = new Date(ctx.clock.now());
  for (const e of employees) {
    const row = known.get(e.id);
    if (row && row.jdyNumber === e.number && row.jdyName === e.name && row.jdyMobile === e.mobile) continue;
    await ctx.repos.bindings.upsertEmployee(
      tenantId,
      { jdyEmpId: e.id, jdyNumber: e.number, jdyName: e.name, jdyMobile: e.mobile },
      now,
    );
  }
}
