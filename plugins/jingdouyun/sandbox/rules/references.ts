import type { BaseRec, Books, EntityNumber } from '../state.js';

/** Whether a live record still references the one about to be deleted (§6.8). */
export function isReferenced(books: Books, entity: EntityNumber, rec: BaseRec): boolean {
  const id = rec.id;
  const bills = () => [
    ...books.order.byId.values(),
    ...books.outbound.byId.values(),
    ...books.receipt.byId.values(),
    ...books.preReceipt.byId.values(),
  ];
  const scmLines = () => [
    ...[...books.order.byId.values()].flatMap((o) => o.lines),
    ...[...books.outbound.byId.values()].flatMap((o) => o.lines),
  ];
  const inventory = () => [...books.inventory.byPair.values()];
  const some = <T>(items: Iterable<T>, pred: (x: T) => boolean): boolean => {
    for (const x of items) if (pred(x)) return true;
    return false;
  };
  switch (entity) {
    case 'bd_customer':
      return bills().some((b) => b.customer_id === id);
    case 'bd_customergroup':
      return (
        some(books.customer.byId.values(), (c) => c.group_id === id) ||
        some(books.customerGroup.byId.values(), (g) => g.parent_id === id)
      );
    case 'bd_materialgroup':
      return (
        some(books.material.byId.values(), (m) => m.parent_id === id) ||
        some(books.materialGroup.byId.values(), (g) => g.parent_id === id)
      );
    case 'bd_material':
      return scmLines().some((l) => l.material_id === id) || inventory().some((r) => r.material_id === id);
    case 'bd_brand':
      return some(books.material.byId.values(), (m) => m.brand_id === id);
    case 'bd_measureunits_new':
      return (
        some(
          books.material.byId.values(),
          (m) => m.base_unit_id === id || m.prices.some((p) => p.price_unit_id === id),
        ) || scmLines().some((l) => l.unit_id === id)
      );
    case 'bd_store':
      return scmLines().some((l) => l.stock_id === id) || inventory().some((r) => r.stock_id === id);
    case 'bd_employee':
      return (
        some(books.customer.byId.values(), (c) => c.saler_id === id) || bills().some((b) => b.emp_id === id)
      );
    case 'sal_bill_order':
      return (
        some(books.outbound.byId.values(), (o) => o.lines.some((l) => l.src_inter_id === id)) ||
        some(books.preReceipt.byId.values(), (p) => p.sels.some((s) => s.src_inter_id === id))
      );
    case 'sal_bill_outbound':
      return some(books.receipt.byId.values(), (r) => r.srcs.some((s) => s.src_bill_id === id));
    case 'ar_creditbill':
    case 'ar_precreditbill':
      return false;
  }
}
