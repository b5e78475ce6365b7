/** Derived values of §7.14: row totals, copied fields, and the account's deal status. */
import { Decimal, fixed, round } from '../../lib/decimal.js';
import { SYSTEM_USER } from './describes.js';
import { storeOf, type Rec, type Tenant } from './state.js';
import type { WriteCtx } from './data-api.js';

const sum = (rows: Rec[], key: string): Decimal =>
  rows.reduce((acc, r) => (typeof r[key] === 'string' ? acc.plus(r[key] as string) : acc), new Decimal(0));

/** Fills the row's own derived fields from its input and its master (before it is stored). */
export function deriveRow(tenant: Tenant, detailApi: string, row: Rec, master: Rec): void {
  if (detailApi === 'SalesOrderProductObj') {
    if (typeof row.quantity === 'string' && typeof row.sales_price === 'string') {
      row.subtotal = fixed(round(new Decimal(row.quantity).times(row.sales_price), 2), 2);
    }
    const product = storeOf(tenant, 'ProductObj').byId.get(String(row.product_id));
    if (product && typeof product.unit === 'string') row.unit = product.unit;
    else delete row.unit;
  } else if (detailApi === 'DeliveryNoteProductObj') {
    if (typeof master.sales_order_id === 'string') row.sales_order_id = master.sales_order_id;
  }
}

/** Fills the master's totals from its current rows. */
export function deriveMaster(objectApi: string, master: Rec, rows: Rec[]): void {
  if (objectApi === 'SalesOrderObj') {
    const total = fixed(sum(rows, 'subtotal'), 2);
    master.product_amount = total;
    master.order_amount = total;
  } else if (objectApi === 'DeliveryNoteObj') {
    master.total_delivery_money = fixed(sum(rows, 'delivery_money'), 2);
  }
}

/** Recomputes deal_status and last_deal_closed_time of the given accounts; changes bump the account. */
export function recomputeAccounts(ctx: WriteCtx, accountIds: Iterable<unknown>): void {
  const accounts = storeOf(ctx.tenant, 'AccountObj');
  const orders = storeOf(ctx.tenant, 'SalesOrderObj');
  for (const id of new Set(accountIds)) {
    if (typeof id !== 'string') continue;
    const acc = accounts.byId.get(id);
    if (!acc) continue;
    const live = orders.find('account_id', 'object_reference', id).filter((o) => o.life_status === 'normal');
    const status = live.length === 0 ? '1' : live.length === 1 ? '2' : '3';
    const last = live.reduce<number | undefined>(
      (m, o) =>
        typeof o.order_time === 'number' && (m === undefined || o.order_time > m) ? o.order_time : m,
      undefined,
    );
    if (acc.deal_status === status && acc.last_deal_closed_time === last) continue;
    const next: Rec = { ...acc, deal_status: status, version: String(Number(acc.version ?? '0') + 1) };
    if (last === undefined) delete next.last_deal_closed_time;
    else next.last_deal_closed_time = last;
    next.last_modified_time = ctx.now;
    next.last_modified_by = [SYSTEM_USER];
    accounts.put(next);
    ctx.emit('updated', 'AccountObj', id, ctx.now, SYSTEM_USER);
  }
}
