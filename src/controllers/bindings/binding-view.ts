import type { BindingEntity } from '../../dal/binding/binding.entity.js';

/**
 * A binding row as the plugin API shows it (plugin-api.md, GET /api/bindings). A row that was never
 * bound may lack `crmUserId` in the database (the upsert's null is not stored): it reads as null.
 */
export const bindingView = (b: BindingEntity) => ({
  id: b._id,
  jdyEmpId: b.jdyEmpId,
  jdyNumber: b.jdyNumber,
  jdyName: b.jdyName,
  jdyMobile: b.jdyMobile,
  crmUserId: b.crmUserId ?? null,
  crmUserName: b.crmUserId ? b.crmUserName : null,
  source: b.source,
});

/** The message of a refused claim: which employee already holds the CRM user. */
export const heldBy = (userName: string, holder: BindingEntity): string =>
  `纷享员工「${userName}」已绑定精斗云职员「${holder.jdyNumber} ${holder.jdyName}」`;
