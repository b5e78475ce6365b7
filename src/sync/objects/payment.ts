import type { ErpPayment } from '../../erp/records.js';
import { FxQuery, where } from '../../fxiaoke/client/index.js';
import { ok } from '../../lib/result.js';
import type { SyncObjectModule } from '../object-module.js';
import type { SyncEnv } from '../sync-env.js';
import { erpChanges, erpFetch } from './erp-source.js';
import { mapPayment, type PaymentFields } from './mapping.js';

const OBJECT = 'PaymentObj';
const LINES = 'OrderPaymentObj';

/** Marks the CRM payment with its ERP bill: how it is found again after a lost answer. */
const marker = (p: ErpPayment): string => `精斗云${p.kind === 'receipt' ? '收款单' : '预收款单'} ${p.number}`;

type MappedPayment = (PaymentFields & { remark: string; void?: false }) | { void: true };

/**
 * 回款: ERP receipts and pre-receipts that are audited → a CRM payment with one line per CRM
 * sales order they pay (only orders that came from the CRM count); un-audited or deleted after
 * syncing → the CRM payment is voided (作废).
 */
export const paymentModule: SyncObjectModule<ErpPayment, MappedPayment> = {
  key: 'payment',
  direction: 'jdy_to_crm',
  dependsOn: ['customer'],
  enabled: () => true,
  readChanges: (env, cursor) => erpChanges(env.erp.payments, cursor),
  fetch: (env, id) => erpFetch(env.erp.payments, id),
  async map(env, r) {
    const p = r.data;
    if (!p.audited) {
      if (await env.mappingOf('payment', p.id)) return ok({ void: true as const });
      return { ok: false, error: { status: 'skipped', reason: '收款单未审核' } };
    }
    const crmOrderIds = new Map<string, string>();
    for (const line of p.lines) {
      const crmId = await env.crmIdOf('salesOrder', line.orderId);
      if (crmId) crmOrderIds.set(line.orderId, crmId);
    }
    const owner = env.owners.crmOwnerOf(p.salespersonId);
    const mapped = mapPayment(p, {
      accountId: await env.crmIdOf('customer', p.customerId),
      ownerId: owner.ownerId,
      crmOrderIds,
    });
    return mapped.ok ? ok({ ...mapped.value, remark: marker(p) }) : mapped;
  },
  async match(env, r, mapped) {
    if (mapped.void) return null;
    const page = await env.crm.data.query(
      OBJECT,
      FxQuery.create(2)
        .filter(where.eq('account_id', mapped.account_id), where.like('remark', marker(r.data)), where.live())
        .project('_id'),
    );
    return page.dataList[0]?._id ?? null;
  },
  async write(env, _r, mapped, existingId) {
    if (mapped.void) {
      if (existingId) await env.crm.data.invalid(OBJECT, existingId, { triggerWorkFlow: false });
      return { targetId: existingId ?? '', action: 'voided', request: { void: existingId } };
    }
    const { lines, owner, ...fields } = mapped;
    const details = { [LINES]: lines };
    if (existingId) {
      await recoverIfVoided(env, existingId);
      await env.crm.data.update(OBJECT, existingId, fields, { triggerWorkFlow: false, details });
      return { targetId: existingId, action: 'updated', request: { ...fields, details } };
    }
    const res = await env.crm.data.create(
      OBJECT,
      { ...fields, owner: [owner] },
      { triggerWorkFlow: false, details },
    );
    return { targetId: res.dataId, action: 'created', request: { ...fields, owner, details } };
  },
  async remove(env, _r, mapping) {
    await env.crm.data.invalid(OBJECT, mapping.crmId, { triggerWorkFlow: false });
    return { targetId: mapping.crmId, action: 'voided', warning: '精斗云已删除该收款单，纷享回款已作废' };
  },
};

/** A payment voided after an un-audit and audited again in the ERP comes back to life. */
async function recoverIfVoided(env: SyncEnv, id: string): Promise<void> {
  const current = await env.crm.data.get(OBJECT, id);
  if (current.life_status === 'invalid') await env.crm.data.recover(OBJECT, [id], { triggerWorkFlow: false });
}
