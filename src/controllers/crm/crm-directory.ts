import type { Request } from 'express';
import type { AppContext } from '../../app-context.js';
import type { CrmUserRef } from '../../bindings/sheet/import.js';
import { sessionTenant, signedIn } from '../../http/session.js';
import { crmFailure } from '../jdy/erp-errors.js';

/**
 * The CRM users of the session's tenant that can be bound or chosen (stopped users are left out),
 * read from the CRM directory on every call so a new colleague shows up at once.
 */
export async function crmDirectory(ctx: AppContext, req: Request): Promise<CrmUserRef[]> {
  const tenant = await ctx.repos.tenants.findById(sessionTenant(req));
  if (!tenant) throw new Error(`tenant ${sessionTenant(req)} of a live session not found`);
  const users = await ctx.fx
    .client(tenant, signedIn(req).session.openUserId)
    .directory.users()
    .catch((e: unknown) => {
      throw crmFailure(e);
    });
  return users
    .filter((u) => !u.isStop)
    .map((u) => ({ crmUserId: u.openUserId, name: u.name, mobile: u.mobile || null }));
}
