/**
 * What a person does by hand in the two systems during the demo, through the sandboxes: in the CRM
 * through its "edits by a person" control paths (fxiaoke-api §11.4, which send change events like
 * the real CRM UI), in Jingdouyun through its open API as the account set's own user (the sandbox's
 * control API has no edit path), except stock, which only the control API can set (§8.2).
 * Each action answers what happened and where to watch it arrive.
 */
import axios, { type AxiosInstance } from 'axios';
import { JdyClient, JdyTransport, type JdyId } from '../../plugins/jingdouyun/client/index.js';
import { DEMO_AUTHORIZATION } from '../../plugins/jingdouyun/sandbox/seed/demo.js';
import { FX_TENANTS, JDY_ACCOUNT_SETS, JDY_APP } from './story.js';

export interface ActionResult {
  message: string;
  /** Where to see it in the plugin. */
  hint: string;
}

export interface ConsoleOptions {
  crmCustomers: Array<{ id: string; name: string; number: string; deal: string }>;
  crmProducts: Array<{ id: string; code: string; name: string; price: string }>;
  crmUsers: Array<{ id: string; name: string }>;
  jdyProducts: Array<{ id: string; number: string; name: string; category: string; retailPrice: string }>;
  jdyCategories: Array<{ id: string; number: string; name: string }>;
  jdyOrders: Array<{ id: string; billNo: string; customer: string; audited: boolean; total: string }>;
  jdyWarehouses: Array<{ number: string; name: string }>;
}

type Row = Record<string, unknown>;

const MAIN = JDY_ACCOUNT_SETS.main.accountId;
const CORP = FX_TENANTS.main.corpId;
const DAY_MS = 86_400_000;
const GMT8_MS = 8 * 3_600_000;

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
/** 00:00 GMT+8 of today, the CRM's `date` format (fxiaoke-api §5.11). */
const crmToday = (now: number): number => Math.floor((now + GMT8_MS) / DAY_MS) * DAY_MS - GMT8_MS;
/** yyyy-MM-dd of today in GMT+8, Jingdouyun's bill dates. */
const jdyToday = (now: number): string => new Date(now + GMT8_MS).toISOString().slice(0, 10);
/** A short number unique enough for a demo (客户编号, 预收款单号). */
const stamp = (now: number): string => new Date(now + GMT8_MS).toISOString().replace(/\D/g, '').slice(2, 14);

/** 成交状态 options of AccountObj (fxiaoke-api §7). */
const DEAL_LABELS: Record<string, string> = { '1': '未成交', '2': '已成交', '3': '多次成交' };

const SEE_JDY_TO_CRM =
  '精斗云的变更在下一次定时同步时进入纷享（也可以在插件 概览 点 立即同步；精斗云数据约 5 秒后才会被读到）';

export class DemoActions {
  private readonly fx: AxiosInstance;
  private readonly jdyControl: AxiosInstance;
  private readonly jdy: JdyClient;

  constructor(
    urls: { jdy: string; fx: string },
    private readonly now: () => number = Date.now,
  ) {
    this.fx = axios.create({ baseURL: `${urls.fx}/__sandbox` });
    this.jdyControl = axios.create({ baseURL: `${urls.jdy}/__sandbox` });
    const transport = new JdyTransport({
      baseUrl: urls.jdy,
      clientId: JDY_APP.clientId,
      clientSecret: JDY_APP.clientSecret,
    });
    this.jdy = new JdyClient(
      transport.session({
        accountId: MAIN,
        appKey: DEMO_AUTHORIZATION.appKey,
        appSecret: DEMO_AUTHORIZATION.appSecret,
        domain: JDY_ACCOUNT_SETS.main.domain,
        groupName: JDY_ACCOUNT_SETS.main.groupName,
      }),
    );
  }

  async options(): Promise<ConsoleOptions> {
    const [accounts, products, users, materials, groups, orders, stores] = await Promise.all([
      this.crmRecords('AccountObj'),
      this.crmRecords('ProductObj'),
      this.fx.get<{ users: Row[] }>('/users', { params: { corpId: CORP } }),
      this.jdyRecords('bd_material'),
      this.jdyRecords('bd_materialgroup'),
      this.jdyRecords('sal_bill_order'),
      this.jdyRecords('bd_store'),
    ]);
    const retail = (m: Row): string =>
      str(
        (Array.isArray(m.price_entity) ? (m.price_entity[0] as Row | undefined) : undefined)
          ?.price_retail_price,
      );
    return {
      crmCustomers: accounts.map((a) => ({
        id: str(a._id),
        name: str(a.name),
        number: str(a.account_no),
        deal: DEAL_LABELS[str(a.deal_status)] ?? '未成交',
      })),
      crmProducts: products
        .filter((p) => p.product_status === '1')
        .map((p) => ({ id: str(p._id), code: str(p.product_code), name: str(p.name), price: str(p.price) })),
      crmUsers: users.data.users
        .filter((u) => u.isStop !== true)
        .map((u) => ({ id: str(u.openUserId), name: str(u.name) })),
      jdyProducts: materials.map((m) => ({
        id: str(m.id),
        number: str(m.number),
        name: str(m.name),
        category: str(m.parent_name),
        retailPrice: retail(m),
      })),
      jdyCategories: groups.map((g) => ({ id: str(g.id), number: str(g.number), name: str(g.name) })),
      jdyOrders: orders
        .map((o) => ({
          id: str(o.id),
          billNo: str(o.bill_no),
          customer: str(o.customer_name),
          audited: o.bill_status === 'C',
          total: str(o.total_amount),
        }))
        .reverse(),
      jdyWarehouses: stores.map((s) => ({ number: str(s.number), name: str(s.name) })),
    };
  }

  /** 在纷享新建客户, optionally with a first order so that it has a deal (成交). */
  async crmCustomer(input: {
    name: string;
    tel?: string;
    ownerId?: string;
    deal: boolean;
    productId?: string;
  }): Promise<ActionResult> {
    const number = `KH${stamp(this.now())}`;
    const id = await this.crmCreate('AccountObj', input.ownerId, {
      name: input.name,
      account_no: number,
      ...(input.tel ? { tel: input.tel } : {}),
    });
    if (!input.deal) {
      return {
        message: `已在纷享新建客户“${input.name}”（客户编号 ${number}），尚未成交。`,
        hint: '在插件 同步日志 中筛选 对象=客户：未成交的客户显示“等待中”（等待成交）；给它下一张销售订单后就会同步到精斗云。',
      };
    }
    const order = await this.crmOrder({ customerId: id, productId: input.productId, quantity: 1 });
    return {
      message: `已在纷享新建客户“${input.name}”（客户编号 ${number}），并下了一张销售订单，成交状态变为 已成交。${order.message}`,
      hint: '纷享的变更会立即通知插件：稍等几秒，在插件 同步日志 中筛选 对象=客户 或 销售订单、方向=纷享 → 精斗云 查看，也可以在精斗云侧看到新客户。',
    };
  }

  /** 在纷享新建销售订单: one line of a CRM product (products from Jingdouyun sync; others fail, as they should). */
  async crmOrder(input: {
    customerId: string;
    productId?: string;
    quantity: number;
    price?: string;
    ownerId?: string;
  }): Promise<ActionResult> {
    const products = await this.crmRecords('ProductObj');
    const product =
      products.find((p) => p._id === input.productId) ??
      products.find((p) => p.product_status === '1' && /^JD\d+$/.test(str(p.product_code)));
    if (!product) throw new ActionError('纷享中还没有产品：请先在插件里完成首次同步');
    const price = input.price ?? (str(product.price) || '1');
    await this.crmCreate(
      'SalesOrderObj',
      input.ownerId,
      { account_id: input.customerId, order_time: crmToday(this.now()), remark: '演示控制台下单' },
      {
        SalesOrderProductObj: [
          { product_id: product._id, quantity: String(input.quantity), sales_price: price },
        ],
      },
    );
    return {
      message: `已在纷享新建销售订单：${str(product.name)} × ${input.quantity}，单价 ¥${price}。`,
      hint: '订单会同步到精斗云（客户未同步时先同步客户）：在插件 同步日志 中筛选 对象=销售订单 查看；产品必须是从精斗云同步来的，否则会失败并说明原因。',
    };
  }

  /** 在精斗云修改商品: 零售价 and/or 商品类别, as a user edits it in Jingdouyun. */
  async jdyProduct(input: {
    materialId: string;
    retailPrice?: string;
    categoryId?: string;
  }): Promise<ActionResult> {
    if (!input.retailPrice && !input.categoryId) throw new ActionError('请填写新的零售价或选择商品类别');
    const current = await this.jdy.materials.detail({ id: input.materialId });
    await this.jdy.materials.updateFromDetail(input.materialId, (m) => ({
      ...(input.categoryId ? { parent_id: input.categoryId } : {}),
      ...(input.retailPrice
        ? {
            price_entity: m.price_entity.map((line, i) => ({
              id: line.id,
              price_unit_id: line.price_unit_id,
              price_retail_price: i === 0 ? input.retailPrice! : line.price_retail_price,
              price_trade_price: line.price_trade_price,
              price_purchase_price: line.price_purchase_price,
              price_min_sales_price: line.price_min_sales_price,
            })),
          }
        : {}),
    }));
    const after = await this.jdy.materials.detail({ id: input.materialId });
    const changes = [
      input.retailPrice ? `零售价改为 ¥${input.retailPrice}` : null,
      input.categoryId ? `商品类别改为“${after.parent_name}”` : null,
    ].filter(Boolean);
    return {
      message: `已在精斗云把商品 ${current.number} ${current.name} 的${changes.join('，')}。`,
      hint: `${SEE_JDY_TO_CRM}：同步日志 中筛选 对象=产品 查看；之前失败的记录也可以在详情页点 从源系统重新拉取。`,
    };
  }

  /** 在精斗云审核出库单: audit the order if needed, push it to an outbound (下推) and audit that. */
  async jdyOutbound(input: { orderId: string }): Promise<ActionResult> {
    const order = await this.auditedOrder(input.orderId);
    const pushed = await this.jdy.pushOrdersToOutbounds([input.orderId]);
    if (pushed.outboundIds.length === 0) throw new ActionError(`销售订单 ${order.billNo} 没有可以出库的数量`);
    await this.jdy.operate('sal_bill_outbound', 'audit', { ids: pushed.outboundIds });
    const numbers = await Promise.all(
      pushed.outboundIds.map(async (id) => (await this.jdy.outbounds.detail({ id })).bill_no),
    );
    return {
      message: `已在精斗云${order.auditedNow ? '审核销售订单并' : ''}把 ${order.billNo} 下推为出库单 ${numbers.join('、')}，并审核了出库单。`,
      hint: `${SEE_JDY_TO_CRM}：同步日志 中筛选 对象=发货单。只有来自纷享的订单会生成纷享发货单，其他出库单记为“已跳过”并写明原因。`,
    };
  }

  /** 在精斗云新增收款: an audited pre-receipt (预收款单) for an order. */
  async jdyReceipt(input: { orderId: string; amount: string }): Promise<ActionResult> {
    const order = await this.auditedOrder(input.orderId);
    const detail = await this.jdy.salesOrders.detail({ id: input.orderId });
    const empId = detail.emp_id || (await this.firstEmployeeId());
    const billNo = `YSKD-DEMO-${stamp(this.now())}`;
    await this.jdy.preReceipts.save({
      bill_no: billNo,
      bill_date: jdyToday(this.now()),
      customer_id: detail.customer_id,
      dept_id: 'DEPT-SALES-01',
      emp_id: empId,
      remark: '演示控制台收款',
      operate_type: 'audit',
      pay_entry_list: [{ amount: input.amount, settle_account_id: 'ACCT-ICBC-01', comment: '银行转账' }],
      sel_bill_info_entry: [
        { src_bill_type_id: 'sal_bill_order', src_inter_id: input.orderId, cur_settle_amount: input.amount },
      ],
    });
    return {
      message: `已在精斗云新增并审核预收款单 ${billNo}：${detail.customer_name} 为订单 ${order.billNo} 付款 ¥${input.amount}。`,
      hint: `${SEE_JDY_TO_CRM}：同步日志 中筛选 对象=回款。只有来自纷享的订单才计入纷享回款，否则记为“已跳过”。`,
    };
  }

  /** 调整库存: sets the stock of one product in one warehouse (the sandbox's control API). */
  async jdyStock(input: { materialNumber: string; stockNumber: string; qty: string }): Promise<ActionResult> {
    await this.jdyControl.post('/seed', {
      records: [
        {
          account_id: MAIN,
          entity: 'inventory',
          data: { material_number: input.materialNumber, stock_number: input.stockNumber, qty: input.qty },
        },
      ],
    });
    return {
      message: `已把精斗云商品 ${input.materialNumber} 在仓库 ${input.stockNumber} 的库存调整为 ${input.qty}。`,
      hint: `库存每分钟同步一次（需开启 仓库 预设，并且产品、仓库、客户已完成首次同步）：同步日志 中筛选 对象=库存。`,
    };
  }

  private async auditedOrder(orderId: string): Promise<{ billNo: string; auditedNow: boolean }> {
    const order = await this.jdy.salesOrders.detail({ id: orderId });
    if (order.bill_status === 'C') return { billNo: order.bill_no, auditedNow: false };
    await this.jdy.operate('sal_bill_order', 'audit', { ids: [orderId as JdyId] });
    return { billNo: order.bill_no, auditedNow: true };
  }

  private async firstEmployeeId(): Promise<string> {
    const employees = await this.jdyRecords('bd_employee');
    const first = employees[0];
    if (!first) throw new ActionError('精斗云中没有职员');
    return str(first.id);
  }

  private async crmRecords(objectApiName: string): Promise<Row[]> {
    const res = await this.fx.get<{ records: Row[] }>('/records', {
      params: { corpId: CORP, objectApiName },
    });
    return res.data.records.filter((r) => r.life_status !== 'invalid');
  }

  private async jdyRecords(entity: string): Promise<Row[]> {
    const res = await this.jdyControl.get<{ rows: Row[] }>('/records', {
      params: { account_id: MAIN, entity },
    });
    return res.data.rows;
  }

  /** A CRM create by a person (UI edit): the CRM sends the change event to the plugin. */
  private async crmCreate(
    objectApiName: string,
    ownerId: string | undefined,
    data: Row,
    details?: Record<string, Row[]>,
  ): Promise<string> {
    const res = await this.fx.post<{ errorCode: number; errorMessage: string; dataId?: string }>(
      '/ui/create',
      {
        corpId: CORP,
        objectApiName,
        object_data: { ...data, ...(ownerId ? { owner: [ownerId] } : {}) },
        ...(details ? { details } : {}),
      },
    );
    if (res.data.errorCode !== 0 || !res.data.dataId) {
      throw new ActionError(`纷享拒绝了这次修改：${res.data.errorMessage}（${res.data.errorCode}）`);
    }
    return res.data.dataId;
  }
}

/** A refusal to show the person as is. */
export class ActionError extends Error {}
