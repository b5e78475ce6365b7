import type { ErpDelivery } from '../../erp/records.js';
import { FxQuery, where } from '../../fxiaoke/client/index.js';
import type { ChangePage, LiveRecord, SyncObjectModule } from '../object-module.js';
import type { SyncEnv } from '../sync-env.js';
import { mapDeliveryNote, type DeliveryNoteFields } from './mapping.js';
import { crmRef } from './erp-source.js';

const OBJECT = 'DeliveryNoteObj';
const LINES = 'DeliveryNoteProductObj';

/**
 * One source record per (outbound, ERP order) pair: one CRM delivery note per CRM order (§3.7).
 * An outbound without any CRM order is one record of its own (orderId null), skipped with that reason.
 */
export interface DeliveryPart {
  delivery: ErpDelivery;
  orderId: string | null;
  orderNumber: string | null;
}

const marker = (d: ErpDelivery): string => `精斗云出库单 ${d.number}`;

async function partsOf(env: SyncEnv, d: ErpDelivery): Promise<LiveRecord<DeliveryPart>[]> {
  const orders = new Map<string, string>();
  for (const l of d.lines) if (l.orderId) orders.set(l.orderId, l.orderNumber ?? l.orderId);
  const parts: LiveRecord<DeliveryPart>[] = [];
  for (const [orderId, orderNumber] of orders) {
    if (!(await env.crmIdOf('salesOrder', orderId))) continue;
    parts.push({
      id: `${d.id}:${orderId}`,
      key: `${d.number}/${orderNumber}`,
      data: { delivery: d, orderId, orderNumber },
    });
  }
  // Nothing silently dropped (§6.3): the outbound itself is logged as skipped.
  return parts.length
    ? parts
    : [{ id: d.id, key: d.number, data: { delivery: d, orderId: null, orderNumber: null } }];
}

/**
 * 发货单: an audited ERP sales outbound → one CRM delivery note per CRM sales order among its
 * lines (lines of other orders are ignored). Create only: delivery quantities and amounts are
 * not changed afterwards.
 */
export const deliveryNoteModule: SyncObjectModule<DeliveryPart, DeliveryNoteFields> = {
  key: 'deliveryNote',
  direction: 'jdy_to_crm',
  dependsOn: ['product', 'customer'],
  enabled: () => true,
  async *readChanges(env, cursor): AsyncIterable<ChangePage<DeliveryPart>> {
    for await (const page of env.erp.deliveries.changes(cursor)) {
      const records: LiveRecord<DeliveryPart>[] = [];
      for (const d of page.records) if (d.audited) records.push(...(await partsOf(env, d)));
      yield { records, cursor: page.cursor };
    }
  },
  async fetch(env, id) {
    const [deliveryId] = id.split(':');
    const d = deliveryId ? await env.erp.deliveries.get(deliveryId) : null;
    return (d ? await partsOf(env, d) : []).find((p) => p.id === id) ?? null;
  },
  async map(env, r) {
    const { delivery, orderId } = r.data;
    const crmOrderId = orderId ? await env.crmIdOf('salesOrder', orderId) : null;
    if (!orderId || !crmOrderId)
      return { ok: false, error: { status: 'skipped', reason: '出库单中没有来自纷享的销售订单' } };
    const crmProductIds = new Map<string, string>();
    // A product not synced yet (e.g. waiting for a retry) is synced now, first.
    for (const l of delivery.lines) {
      const id = await crmRef(env, 'product', l.productId);
      if (id) crmProductIds.set(l.productId, id);
    }
    const owner = env.owners.crmOwnerOf(delivery.salespersonId);
    const remark = delivery.remark ? `${delivery.remark}（${marker(delivery)}）` : marker(delivery);
    return mapDeliveryNote({ ...delivery, remark }, orderId, {
      crmOrderId,
      ownerId: owner.ownerId,
      crmProductIds,
    });
  },
  async match(env, r, mapped) {
    const page = await env.crm.data.query(
      OBJECT,
      FxQuery.create(2)
        .filter(
          where.eq('sales_order_id', mapped.sales_order_id),
          where.like('remark', marker(r.data.delivery)),
          where.live(),
        )
        .project('_id'),
    );
    return page.dataList[0]?._id ?? null;
  },
  updatable: () => false,
  async write(env, _r, mapped, existingId) {
    if (existingId) return { targetId: existingId, action: 'linked' };
    const { lines, owner, total, ...fields } = mapped;
    const details = { [LINES]: lines };
    const res = await env.crm.data.create(
      OBJECT,
      { ...fields, owner: [owner] },
      { triggerWorkFlow: false, details },
    );
    return { targetId: res.dataId, action: 'created', request: { ...fields, owner, total, details } };
  },
};
