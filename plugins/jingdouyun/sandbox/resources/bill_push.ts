import type { OrderRec, OutboundRec } from '../state.js';
import { formatDate } from '../time.js';
import { FieldReader, canon, dec, err, type Json } from '../validate.js';
import { saveData, type Ctx, type SaveData } from './common.js';
import { saveOutbound } from './sal_out_bound.js';

/** `POST /jdy/v2/sys/bill_push` (§5.13): audited open orders → unaudited outbounds. */
export function billPush(ctx: Ctx, body: Json): SaveData {
  const r = new FieldReader(body, '', true);
  const ids = r.str('id', true)!;
  const source = r.str('source_bill', true);
  if (source !== 'sal_bill_order') throw err.format('source_bill');
  const target = r.str('target_bill', true);
  if (target !== 'sal_bill_outbound') throw err.format('target_bill');
  const merge = r.bool('merge_push') ?? false;
  const orders: OrderRec[] = [];
  for (const id of ids.split(',').filter((s) => s !== '')) {
    const order = ctx.books.order.get(id);
    if (!order || order.bill_status !== 'C' || order.bill_close_state !== 'C') {
      throw err.source('未找到源单或源单未审核或订单已关闭');
    }
    order.lines.forEach((l, i) => {
      if (dec(l.qty).gt(l.out_qty) && !l.stock_id) throw err.missing(`material_entity[${i}].stock_id`);
    });
    if (!orders.some((o) => o.id === order.id)) orders.push(order);
  }
  if (orders.length === 0) throw err.missing('id');
  const groups = new Map<string, OrderRec[]>();
  for (const o of orders) {
    const key = merge ? o.customer_id : o.id;
    groups.set(key, [...(groups.get(key) ?? []), o]);
  }
  const today = formatDate(ctx.state.now());
  const drafts = [...groups.values()].map((group) => ({
    first: group[0]!,
    lines: group.flatMap((o) =>
      o.lines
        .filter((l) => dec(l.qty).gt(l.out_qty))
        .map((l) => ({
          material_id: l.material_id,
          unit_id: l.unit_id,
          stock_id: l.stock_id,
          qty: canon(dec(l.qty).minus(l.out_qty)),
          price: l.price,
          is_free: l.is_free,
          src_bill_type_id: 'sal_bill_order',
          src_inter_id: o.id,
          src_entry_id: l.id,
        })),
    ),
  }));
  if (drafts.every((d) => d.lines.length === 0)) throw err.source('源单已全部出库');
  const created: OutboundRec[] = [];
  for (const { first, lines } of drafts) {
    if (lines.length === 0) continue;
    const header: Json = {
      bill_date: today,
      customer_id: first.customer_id,
      emp_id: first.emp_id,
      contact_linkman: first.contact_linkman,
      contact_phone: first.contact_phone,
      contact_address: first.contact_address,
      material_entity: lines,
    };
    created.push(saveOutbound(ctx, header));
  }
  return saveData(created);
}
