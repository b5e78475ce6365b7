import type { ErpReader } from '../../../src/erp/plugin.js';
import type { ErpDelivery, ErpPayment, ErpPaymentLine } from '../../../src/erp/records.js';
import { Decimal, canonical, splitProportionally, toDecimal } from '../../../src/lib/decimal.js';
import {
  dtToMs,
  type JdyClient,
  type JdyOutboundDetail,
  type JdyPreReceiptDetail,
  type JdyReceiptDetail,
} from '../client/index.js';
import { deletionStream, listStream, readChanges } from './changes.js';
import { detailReader, orNull } from './readers.js';

/** Amounts per ERP sales order, in the order the orders were first met. */
class OrderAmounts {
  private readonly byOrder = new Map<string, { orderNumber: string; amount: Decimal }>();

  add(orderId: string, orderNumber: string, amount: Decimal.Value): void {
    const seen = this.byOrder.get(orderId);
    if (seen) seen.amount = seen.amount.plus(amount);
    else this.byOrder.set(orderId, { orderNumber, amount: new Decimal(amount) });
  }

  entries(): Array<{ orderId: string; orderNumber: string; amount: Decimal }> {
    return [...this.byOrder].map(([orderId, rest]) => ({ orderId, ...rest }));
  }

  lines(): ErpPaymentLine[] {
    return this.entries().map((e) => ({ ...e, amount: canonical(e.amount) }));
  }
}

type OutboundLookup = (id: string) => Promise<JdyOutboundDetail>;

/**
 * What a receipt pays per order: the amount settled on each outbound is split over the outbound's
 * source orders in proportion to their line amounts (to the cent, remainder on the last), then
 * summed per order. The share of lines without a source order ("" id) pays no order.
 */
async function receiptLines(detail: JdyReceiptDetail, outbound: OutboundLookup): Promise<ErpPaymentLine[]> {
  const paid = new OrderAmounts();
  for (const src of detail.source_bill_entry_list) {
    // The real service also settles sales returns and other receivables: those pay no order.
    if (src.src_bill_type_id !== 'sal_bill_outbound') continue;
    const perOrder = new OrderAmounts();
    for (const line of (await outbound(src.src_bill_id)).material_entity) {
      perOrder.add(line.src_inter_id, line.src_bill_no, toDecimal(line.amount));
    }
    const parts = perOrder.entries();
    const shares = splitProportionally(
      toDecimal(src.cur_settle_amount),
      parts.map((p) => p.amount),
    );
    parts.forEach((p, i) => {
      if (p.orderId) paid.add(p.orderId, p.orderNumber, shares[i] ?? 0);
    });
  }
  return paid.lines();
}

function preReceiptLines(detail: JdyPreReceiptDetail): ErpPaymentLine[] {
  const amounts = new OrderAmounts();
  for (const src of detail.sel_bill_info_entry ?? []) {
    if (src.src_bill_type_id === 'sal_bill_order') {
      amounts.add(src.src_inter_id, src.src_bill_no, toDecimal(src.cur_settle_amount));
    }
  }
  return amounts.lines();
}

type ArapDetail = JdyReceiptDetail | JdyPreReceiptDetail;

function toPayment(detail: ArapDetail, kind: ErpPayment['kind'], lines: ErpPaymentLine[]): ErpPayment {
  return {
    id: detail.id,
    number: detail.bill_no,
    kind,
    audited: detail.bill_status === 'C',
    customerId: detail.customer_id,
    salespersonId: orNull(detail.emp_id),
    modifiedAt: dtToMs(detail.modify_time),
    lines,
  };
}

/**
 * Receipts and pre-receipts, audited or not (an un-audit must void the CRM payment), each from its
 * detail; a receipt also reads each outbound it settles, once per changes call.
 */
export function paymentsReader(client: JdyClient): ErpReader<ErpPayment> {
  const receipt = async (id: string, outbound: OutboundLookup): Promise<ErpPayment | null> => {
    const detail = await client.receipts.find({ id });
    return detail ? toPayment(detail, 'receipt', await receiptLines(detail, outbound)) : null;
  };
  const preReceipt = async (id: string): Promise<ErpPayment | null> => {
    const detail = await client.preReceipts.find({ id });
    return detail ? toPayment(detail, 'preReceipt', preReceiptLines(detail)) : null;
  };
  const outboundLookup = (): OutboundLookup => {
    // Outbounds settled by a live receipt cannot be changed (unaudit is blocked), so caching is safe.
    const cache = new Map<string, Promise<JdyOutboundDetail>>();
    return (id) => {
      let found = cache.get(id);
      if (!found) cache.set(id, (found = client.outbounds.detail({ id })));
      return found;
    };
  };
  return {
    changes(cursor) {
      const outbound = outboundLookup();
      const streams = [
        listStream(
          'ar_creditbill',
          (w) => client.receipts.changes(w),
          (row) => receipt(row.id, outbound),
        ),
        listStream(
          'ar_precreditbill',
          (w) => client.preReceipts.changes(w),
          (row) => preReceipt(row.id),
        ),
        deletionStream<ErpPayment>(client, 'ar_creditbill'),
        deletionStream<ErpPayment>(client, 'ar_precreditbill'),
      ];
      return readChanges(client.session.clock, streams, cursor);
    },
    async get(id) {
      return (await receipt(id, outboundLookup())) ?? (await preReceipt(id));
    },
  };
}

const toDelivery = (detail: JdyOutboundDetail): ErpDelivery => ({
  id: detail.id,
  number: detail.bill_no,
  audited: detail.bill_status === 'C',
  date: detail.bill_date,
  customerId: detail.customer_id,
  salespersonId: orNull(detail.emp_id),
  remark: detail.remark ?? '',
  lines: detail.material_entity.map((line) => ({
    orderId: orNull(line.src_inter_id),
    orderNumber: orNull(line.src_bill_no),
    productId: line.material_id,
    qty: line.qty,
    amount: line.amount,
  })),
});

/**
 * Audited sales outbounds only (the list filters on bill_status, so unaudited ones cost no detail
 * call): delivery notes are created once, from the audited outbound.
 */
export const deliveriesReader = (client: JdyClient): ErpReader<ErpDelivery> => {
  const get = async (id: string): Promise<ErpDelivery | null> => {
    const detail = await client.outbounds.find({ id });
    return detail ? toDelivery(detail) : null;
  };
  return detailReader(
    client,
    'sal_bill_outbound',
    (w) => client.outbounds.changes(w, { bill_status: 'C' }),
    get,
  );
};
