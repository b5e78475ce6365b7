import type { ErpWriter } from '../../../src/erp/plugin.js';
import type { DeliveryMethod, ErpCustomerInput, ErpOrderInput, ErpRef } from '../../../src/erp/records.js';
import {
  BAD_FORMAT,
  contactsForSave,
  DUPLICATE,
  isJdyCode,
  jdyError,
  type DeliveryTypeId,
  type JdyClient,
  type JdyCustomerContactInput,
  type JdyCustomerDetail,
  type JdyCustomerSave,
  type JdySalesOrderLine,
  type JdySalesOrderLineInput,
  type JdySalesOrderSave,
} from '../client/index.js';
import type { Clock } from '../../../src/lib/clock.js';
import { ShortMemo } from '../../../src/lib/short-memo.js';
import { mapLimit } from './changes.js';

/** JDY's own code for "audited bill cannot be changed" (§3.3): a data error, never retried. */
const AUDITED_BILL = 2018023007;

const DELIVERY_TYPES: Record<DeliveryMethod, DeliveryTypeId> = {
  物流发货: '6',
  车辆配送: '8',
  客户自提: '9',
};

/** Header fields of a customer save; the number is left to the caller (sent on create only). */
function customerHeader(input: ErpCustomerInput): JdyCustomerSave {
  return {
    name: input.name,
    ...(input.categoryId ? { group_id: input.categoryId } : {}),
    ...(input.salespersonId ? { saler_id: input.salespersonId } : {}),
    addr: input.address,
    remark: input.remark,
  };
}

function pluginContact(
  input: ErpCustomerInput,
  stored: JdyCustomerContactInput | undefined,
): JdyCustomerContactInput {
  return {
    ...stored,
    contact_person: input.contact.name,
    mobile: input.contact.mobile,
    email: input.contact.email,
    is_default_linkman: true,
  };
}

/**
 * Every stored contact is resent with its id (lines not sent would be removed, lines without id
 * added twice). The plugin's contact is the one named after the customer — as JDY has it now, else
 * as it is about to be called — and becomes the only default one; without one it is added.
 */
function contactsForUpdate(current: JdyCustomerDetail, input: ErpCustomerInput): JdyCustomerContactInput[] {
  const lines: JdyCustomerContactInput[] = contactsForSave(current).map((c) => ({
    ...c,
    is_default_linkman: false,
  }));
  let index = lines.findIndex((c) => c.contact_person === current.name);
  if (index < 0) index = lines.findIndex((c) => c.contact_person === input.contact.name);
  if (index < 0) return [...lines, pluginContact(input, undefined)];
  lines[index] = pluginContact(input, lines[index]);
  return lines;
}

export function customersWriter(client: JdyClient): ErpWriter<ErpCustomerInput> {
  return {
    async findByNumber(number) {
      const found = await client.customers.findByNumber(number);
      return found ? { id: found.id, number: found.number } : null;
    },
    async create(input) {
      const out = await client.customers.createWithLookup({
        number: input.number,
        ...customerHeader(input),
        contacts: [pluginContact(input, undefined)],
      });
      return { id: out.id, number: out.number };
    },
    async update(id, input) {
      let number = '';
      const result = await client.customers.updateFromDetail(id, (current) => {
        number = current.number;
        return { ...customerHeader(input), contacts: contactsForUpdate(current, input) };
      });
      return { id, number: result.id_number_map[id] ?? number };
    },
  };
}

/**
 * Base units of products ("<accountId>:<productId>" → unit id), shared by every sync of the
 * process: a product's base unit rarely changes, and the memo spares a detail call per product of
 * every order. One that did change meanwhile is read again when JDY refuses the order (withUnits).
 */
export type BaseUnits = ShortMemo<string>;

export const baseUnitMemo = (clock: Clock, ttlMs = 10 * 60_000): BaseUnits =>
  new ShortMemo(ttlMs, () => clock.now(), 50_000);

/**
 * Sales orders from the CRM: created by number without a lookup first — JDY refuses a second
 * order with the same bill_no, and that refusal answers the existing one (`existed`); updated only
 * while unaudited.
 */
export class SalesOrdersWriter implements ErpWriter<ErpOrderInput> {
  constructor(
    private readonly client: JdyClient,
    private readonly baseUnits: BaseUnits,
  ) {}

  async findByNumber(number: string): Promise<ErpRef | null> {
    const found = await this.client.salesOrders.findByNumber(number);
    return found ? { id: found.id, number: found.bill_no } : null;
  }

  async create(input: ErpOrderInput): Promise<ErpRef> {
    try {
      const out = await this.withUnits(input, (units) =>
        this.client.salesOrders.createWithLookup({
          bill_no: input.number,
          ...header(input),
          material_entity: lines(input, units, []),
        }),
      );
      return { id: out.id, number: out.number };
    } catch (error) {
      if (!isJdyCode(error, DUPLICATE)) throw error;
      const found = await this.findByNumber(input.number);
      if (!found) throw error;
      return { ...found, existed: true };
    }
  }

  async update(id: string, input: ErpOrderInput): Promise<ErpRef> {
    let number = '';
    const result = await this.withUnits(input, (units) =>
      this.client.salesOrders.updateFromDetail(id, (current) => {
        number = current.bill_no;
        if (current.bill_status === 'C') {
          throw jdyError(AUDITED_BILL, `精斗云销售订单[${current.bill_no}]已审核，不能修改`);
        }
        return { ...header(input), material_entity: lines(input, units, current.material_entity) };
      }),
    );
    return { id, number: result.id_number_map[id] ?? number };
  }

  /**
   * Sends the order with its products' base units (lines must use them, §5.8). A remembered unit
   * may be out of date: when JDY refuses the order as malformed (1030002006, its answer to a line
   * not in the base unit) and a unit came from memory, the units are read again and it is sent once more.
   */
  private async withUnits<T>(
    input: ErpOrderInput,
    send: (units: Map<string, string>) => Promise<T>,
  ): Promise<T> {
    const { units, remembered } = await this.unitsOf(input);
    try {
      return await send(units);
    } catch (error) {
      if (!remembered || !isJdyCode(error, BAD_FORMAT)) throw error;
      for (const productId of units.keys()) this.baseUnits.delete(this.unitKey(productId));
      return send((await this.unitsOf(input)).units);
    }
  }

  /** The base unit of each product of the order, and whether any came from memory. */
  private async unitsOf(input: ErpOrderInput): Promise<{ units: Map<string, string>; remembered: boolean }> {
    const productIds = [...new Set(input.lines.map((l) => l.productId))];
    const found = await mapLimit(productIds, (id) => this.baseUnit(id));
    return {
      units: new Map(productIds.map((id, i) => [id, found[i]?.unitId ?? ''])),
      remembered: found.some((f) => f.remembered),
    };
  }

  private unitKey(productId: string): string {
    return `${this.client.session.accountId}:${productId}`;
  }

  private async baseUnit(productId: string): Promise<{ unitId: string; remembered: boolean }> {
    const key = this.unitKey(productId);
    const cached = this.baseUnits.get(key);
    if (cached !== undefined) return { unitId: cached, remembered: true };
    const unitId = (await this.client.materials.detail({ id: productId })).base_unit_id;
    this.baseUnits.set(key, unitId);
    return { unitId, remembered: false };
  }
}

/** Order header fields; the number is sent on create only, so an update never renumbers. */
function header(input: ErpOrderInput): JdySalesOrderSave {
  return {
    bill_date: input.date,
    customer_id: input.customerId,
    ...(input.salespersonId ? { emp_id: input.salespersonId } : {}),
    ...(input.deliveryMethod ? { delivery_type_id: DELIVERY_TYPES[input.deliveryMethod] } : {}),
    remark: input.remark,
    attachments_url: input.attachmentUrls.map((url) => ({ url })),
    ...(input.audit ? { operation_key: 'audit' as const } : {}),
  };
}

/** Order lines; on update each keeps the id of a stored line of the same product, so none is added twice. */
function lines(
  input: ErpOrderInput,
  units: ReadonlyMap<string, string>,
  stored: readonly JdySalesOrderLine[],
): JdySalesOrderLineInput[] {
  const unused = [...stored];
  return input.lines.map((line) => {
    const match = unused.findIndex((s) => s.material_id === line.productId);
    const id = match >= 0 ? unused.splice(match, 1)[0]?.id : undefined;
    return {
      ...(id ? { id } : {}),
      material_id: line.productId,
      unit_id: units.get(line.productId) ?? '',
      qty: line.qty,
      price: line.price,
      is_free: false,
      ...(line.warehouseId ? { stock_id: line.warehouseId } : {}),
      ...(line.deliveryDate ? { delivery_date: line.deliveryDate } : {}),
    };
  });
}
