import type { ErpCustomer } from '../../erp/records.js';
import { where } from '../../fxiaoke/client/index.js';
import type { SyncObjectModule } from '../object-module.js';
import { crmFieldsOf } from './crm-fields.js';
import { findLive, findLiveMany } from './crm-lookup.js';
import { crmRef, erpChanges, erpFetch } from './erp-source.js';
import { mapCustomerToCrm, type AccountFields } from './mapping.js';

const OBJECT = 'AccountObj';

/**
 * 客户, first run only: ERP customers → CRM customers. A CRM customer with the same name is only
 * linked (customers are maintained in the CRM from then on); the others are created with their
 * owner from the salesperson's binding.
 */
export const customerImportModule: SyncObjectModule<ErpCustomer, AccountFields & { warning: string | null }> =
  {
    key: 'customer',
    direction: 'jdy_to_crm',
    dependsOn: ['customerCategory'],
    enabled: (env) => !env.initialDone('customer', 'jdy_to_crm'),
    readChanges: (env, cursor) => erpChanges(env.erp.customers, cursor),
    fetch: (env, id) => erpFetch(env.erp.customers, id),
    async map(env, r) {
      const owner = env.owners.crmOwnerOf(r.data.salespersonId);
      const categoryPreset = Boolean(env.settings.presets.customerCategory);
      const categoryId = categoryPreset ? await crmRef(env, 'customerCategory', r.data.categoryId) : null;
      const mapped = mapCustomerToCrm(r.data, { ownerId: owner.ownerId, categoryId, categoryPreset });
      return mapped.ok ? { ok: true, value: { ...mapped.value, warning: owner.warning } } : mapped;
    },
    match: (env, _r, mapped) => findLive(env, OBJECT, where.eq('name', mapped.name)),
    matchMany: (env, records) => findLiveMany(env, OBJECT, 'name', records, (m) => m.name),
    async write(env, _r, mapped, existingId) {
      if (existingId) return { targetId: existingId, action: 'linked' };
      const { warning, owner, categoryId, ...fields } = mapped;
      const data = {
        ...fields,
        owner: [owner],
        ...(categoryId !== undefined ? { [crmFieldsOf(env).customerCategory]: categoryId } : {}),
      };
      const res = await env.crm.data.createSafely(
        OBJECT,
        data,
        { name: mapped.name },
        { triggerWorkFlow: false },
      );
      return {
        targetId: res.dataId,
        action: res.recovered ? 'linked' : 'created',
        request: data,
        ...(warning ? { warning } : {}),
      };
    },
  };
