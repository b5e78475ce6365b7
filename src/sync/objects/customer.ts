import type { ErpCustomerInput } from '../../erp/records.js';
import type { SyncObjectModule } from '../object-module.js';
import { crmFieldsOf } from './crm-fields.js';
import { crmChanges, crmFetch, crmFetchMany, firstUser, optionLabel, type CrmRecord } from './crm-source.js';
import { mapCustomerToErp, type CrmAccount } from './mapping.js';

const OBJECT = 'AccountObj';

/**
 * 客户, after the first run: CRM customers → ERP customers, only once they have a deal (others
 * wait). The ERP number is the CRM 客户编号 and never changes; before creating, the number is
 * looked up in the ERP (an existing customer is linked and updated, never duplicated).
 */
export const customerModule: SyncObjectModule<CrmRecord, ErpCustomerInput & { warning: string | null }> = {
  key: 'customer',
  direction: 'crm_to_jdy',
  dependsOn: ['customerCategory'],
  enabled: (env) => env.initialDone('customer', 'jdy_to_crm'),
  readChanges: (env, cursor) => crmChanges(env, OBJECT, cursor),
  fetch: (env, id) => crmFetch(env, OBJECT, id),
  fetchMany: (env, ids) => crmFetchMany(env, OBJECT, ids),
  async map(env, r) {
    const a = r.data;
    const owner = env.owners.erpEmployeeOf(firstUser(a.owner));
    const categoryCrmId = env.settings.presets.customerCategory ? a[crmFieldsOf(env).customerCategory] : null;
    const categoryId =
      typeof categoryCrmId === 'string' ? await env.erpIdOf('customerCategory', categoryCrmId) : null;
    const mapped = mapCustomerToErp(a as CrmAccount, {
      dealLabel: await optionLabel(env, OBJECT, 'deal_status', a.deal_status),
      salespersonId: owner.empId,
      categoryId,
    });
    return mapped.ok ? { ok: true, value: { ...mapped.value, warning: owner.warning } } : mapped;
  },
  async match(env, _r, mapped) {
    return (await env.erp.customers.findByNumber(mapped.number))?.id ?? null;
  },
  async write(env, _r, mapped, existingId) {
    const { warning, ...input } = mapped;
    const ref = existingId
      ? await env.erp.customers.update(existingId, input)
      : await env.erp.customers.create(input);
    return {
      targetId: ref.id,
      action: existingId ? 'updated' : 'created',
      request: input,
      ...(warning ? { warning } : {}),
    };
  },
};
