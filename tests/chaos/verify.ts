/**
 * The chaos suite's verdict, read from the systems themselves (the sandboxes' records, the plugin's
 * database): every source record of the story has exactly one live target that matches it, no
 * run or record is left queued, running or pending, and every failure is one of the injected
 * data errors — each of which left its failure on the record it hit.
 */
import type { Db } from 'mongodb';
import type { TenantId } from '../../src/db/base-repository.js';
import type { SyncRecordEntity } from '../../src/dal/sync-record/sync-record.entity.js';
import { DEMO_ADMIN } from '../../src/demo/sandboxes.js';
import { INJECTED_DATA_ERROR } from './fault-proxy.js';
import type { World } from './world.js';

type Row = Record<string, unknown> & { _id?: string; id?: string };

type SyncRecordRow = Pick<
  SyncRecordEntity,
  'object' | 'direction' | 'sourceId' | 'sourceKey' | 'targetId' | 'status' | 'reason' | 'attempts'
>;

export interface Verdict {
  /** Problems found: all of them counted, the first 8 of each object listed. */
  problemCount: number;
  problems: string[];
  /** Source records checked, per object. */
  checked: Record<string, number>;
  /** Records whose sync needed more than one try. */
  retried: number;
  failed: number;
}

const live = (rows: Row[]) => rows.filter((r) => r.life_status !== 'invalid');

function countBy<T>(rows: readonly T[], key: (r: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) out.set(key(r), [...(out.get(key(r)) ?? []), r]);
  return out;
}

/** The identity of a record hit by an injected data error, as the fault proxy logged it. */
export function injectedKeyOf(r: SyncRecordRow): string | null {
  const last = [...r.attempts].reverse().find((a) => a.error?.includes(INJECTED_DATA_ERROR));
  if (!last?.request) return null;
  const m = JSON.parse(last.request) as Record<string, unknown>;
  if (r.object === 'inventory') return `inventory:${String(m.product_id)}:${String(m.warehouse_id)}`;
  if (r.object === 'salesOrder') return `salesOrder:${String(m.number)}`;
  return `${r.object}:${String(m.remark)}`;
}

export async function verify(world: World, db: Db, tenantId: TenantId): Promise<Verdict> {
  const problems: string[] = [];
  const checked: Record<string, number> = {};
  // At most 8 shown per object (the first word), so a flood of one kind hides no other kind.
  const shownPer = new Map<string, number>();
  let problemCount = 0;
  const problem = (text: string) => {
    problemCount++;
    const kind = text.split(' ')[0]!;
    shownPer.set(kind, (shownPer.get(kind) ?? 0) + 1);
    if (shownPer.get(kind)! <= 8) problems.push(text);
  };

  const runs = await db
    .collection('sync_runs')
    .find({ tenantId, status: { $in: ['queued', 'running'] } })
    .toArray();
  for (const r of runs) problem(`run ${String(r._id)} left ${String(r.status)}`);
  const records = (await db
    .collection('sync_records')
    .find({ tenantId })
    .toArray()) as unknown as SyncRecordRow[];
  const recordOf = new Map(records.map((r) => [`${r.object}:${r.direction}:${r.sourceId}`, r]));
  for (const r of records)
    if (r.status === 'pending') problem(`${r.object} ${r.sourceKey} left pending: ${r.reason}`);

  // Failures: only injected data errors, and every injected one recorded on the record it hit.
  const injected = [...world.jdyProxy.stats.dataErrors, ...world.fxProxy.stats.dataErrors].map((d) => d.key);
  const hit = new Set(records.map(injectedKeyOf).filter((k): k is string => k !== null));
  const failed = records.filter((r) => r.status === 'failed');
  for (const r of failed) {
    const key = injectedKeyOf(r);
    if (!key || !r.reason?.includes(INJECTED_DATA_ERROR))
      problem(`${r.object} ${r.sourceKey} failed without an injected error: ${r.reason}`);
  }
  for (const key of injected)
    if (!hit.has(key)) problem(`injected data error on ${key} left no failure on its record`);
  const failedKeys = new Set(failed.map((r) => `${r.object}:${r.direction}:${r.sourceId}`));

  /** One source record: its sync record synced (or failed by injection) and exactly one matching target. */
  const expect = (
    object: string,
    direction: string,
    sourceId: string,
    label: string,
    targets: Row[] | undefined,
    matches: (t: Row) => string | null,
  ) => {
    checked[object] = (checked[object] ?? 0) + 1;
    const key = `${object}:${direction}:${sourceId}`;
    const rec = recordOf.get(key);
    if (failedKeys.has(key)) {
      if (targets?.length) problem(`${object} ${label}: failed, yet ${targets.length} target(s) exist`);
      return;
    }
    if (rec?.status !== 'synced')
      return problem(`${object} ${label}: sync record ${rec?.status ?? 'missing'} (${rec?.reason ?? ''})`);
    if (!targets || targets.length !== 1)
      return problem(
        `${object} ${label}: ${targets?.length ?? 0} targets ${JSON.stringify(targets?.map((t) => t._id ?? t.id) ?? [])}`,
      );
    const target = targets[0]!;
    if (rec.targetId !== (target._id ?? target.id))
      problem(
        `${object} ${label}: sync record points at ${rec.targetId}, target is ${target._id ?? target.id}`,
      );
    const mismatch = matches(target);
    if (mismatch) problem(`${object} ${label}: ${mismatch}`);
  };
  const differs = (what: string, want: unknown, got: unknown) =>
    String(want) === String(got) ? null : `${what} ${String(got)} ≠ ${String(want)}`;

  // ---- ERP → CRM ----
  const jdy = world.jdyRecords.bind(world);
  const crm = async (api: string) => live(await world.crmRecords<Row>(api));
  const entities = [
    'bd_customergroup',
    'bd_materialgroup',
    'bd_measureunits_new',
    'bd_store',
    'bd_material',
    'bd_customer',
    'inventory',
    'sal_bill_outbound',
    'ar_creditbill',
    'ar_precreditbill',
  ] as const;
  const all = new Map(await Promise.all(entities.map(async (e) => [e, await jdy<Row>(e)] as const)));
  const [
    jCustGroups,
    jMatGroups,
    jUnits,
    jStores,
    jProducts,
    jCustomers,
    jStock,
    jOutbounds,
    jReceipts,
    jPre,
  ] = entities.map((e) => all.get(e) ?? []) as [
    Row[],
    Row[],
    Row[],
    Row[],
    Row[],
    Row[],
    Row[],
    Row[],
    Row[],
    Row[],
  ];
  /** The story's own source records (prefix X…; XK customers came from the CRM, not from the story's JDY side). */
  const story = (rows: Row[], field = 'number') => rows.filter((r) => /^X(?!K)/.test(String(r[field] ?? '')));

  const tenant = await world.plugin.ctx.repos.tenants.findById(tenantId);
  const categories = await world.plugin.ctx.fx.client(tenant!, DEMO_ADMIN.openUserId).metadata.categories();
  const catByCode = countBy(categories as unknown as Row[], (c) => String(c.code));
  for (const g of story(jMatGroups))
    expect('productCategory', 'jdy_to_crm', g.id!, String(g.number), catByCode.get(String(g.number)), (t) =>
      differs('name', g.name, t.name),
    );

  const custCats = countBy(await crm('object_customer_category__c'), (r) => String(r.category_no__c));
  for (const g of story(jCustGroups))
    expect('customerCategory', 'jdy_to_crm', g.id!, String(g.number), custCats.get(String(g.number)), (t) =>
      differs('name', g.name, t.name),
    );

  const units = countBy(await crm('UnitInfoObj'), (r) => String(r.unit_code));
  for (const u of story(jUnits))
    expect('unit', 'jdy_to_crm', u.id!, String(u.number), units.get(String(u.number)), () => null);

  const warehouses = countBy(await crm('WarehouseObj'), (r) => String(r.number));
  for (const w of story(jStores))
    expect('warehouse', 'jdy_to_crm', w.id!, String(w.number), warehouses.get(String(w.number)), (t) =>
      differs('name', w.name, t.name),
    );

  const crmProducts = await crm('ProductObj');
  const products = countBy(crmProducts, (r) => String(r.product_code));
  for (const p of story(jProducts))
    expect('product', 'jdy_to_crm', p.id!, String(p.number), products.get(String(p.number)), (t) =>
      differs('name', `${String(p.number)} ${String(p.name)}`, t.name),
    );

  const crmAccounts = await crm('AccountObj');
  const accountsByName = countBy(crmAccounts, (r) => String(r.name));
  for (const c of story(jCustomers))
    expect('customer', 'jdy_to_crm', c.id!, String(c.number), accountsByName.get(String(c.name)), (t) =>
      differs('客户编号', c.number, t.account_no),
    );

  const crmIdOf = async (object: string, erpId: string) =>
    ((await db.collection('mappings').findOne({ tenantId, object, erpId })) as { crmId?: string } | null)
      ?.crmId ?? '?';
  const stockRows = countBy(
    await crm('StockObj'),
    (r) => `${String(r.product_id)}:${String(r.warehouse_id)}`,
  );
  const storyProducts = new Set(story(jProducts).map((p) => p.id));
  for (const s of jStock.filter((s) => storyProducts.has(s.material_id as string))) {
    const pair = `${await crmIdOf('product', String(s.material_id))}:${await crmIdOf('warehouse', String(s.stock_id))}`;
    expect(
      'inventory',
      'jdy_to_crm',
      `${String(s.material_id)}:${String(s.stock_id)}`,
      pair,
      stockRows.get(pair),
      (t) => differs('实际库存', Number(s.qty).toFixed(2), Number(t.real_stock).toFixed(2)),
    );
  }

  // ---- CRM → ERP ----
  const storyAccounts = crmAccounts.filter((a) => /^XK/.test(String(a.account_no ?? '')));
  const jdyCustomers = countBy(jCustomers, (r) => String(r.number));
  for (const a of storyAccounts)
    expect(
      'customer',
      'crm_to_jdy',
      a._id!,
      String(a.account_no),
      jdyCustomers.get(String(a.account_no)),
      (t) => differs('name', a.name, t.name),
    );

  const crmOrders = (await crm('SalesOrderObj')).filter((o) =>
    storyAccounts.some((a) => a._id === o.account_id),
  );
  const jOrders = countBy(await jdy<Row>('sal_bill_order'), (r) => String(r.bill_no));
  const crmLines = countBy(await world.crmRecords<Row>('SalesOrderProductObj'), (l) => String(l.order_id));
  for (const o of crmOrders) {
    expect('salesOrder', 'crm_to_jdy', o._id!, String(o.name), jOrders.get(String(o.name)), (t) =>
      differs('lines', crmLines.get(o._id!)?.length ?? 0, (t.material_entity as unknown[]).length),
    );
    // 同步状态 (written in the background) agrees with the order's sync record.
    const status = recordOf.get(`salesOrder:crm_to_jdy:${o._id!}`)?.status;
    const want = status === 'synced' ? 'synced' : 'not_synced';
    const shown = differs('同步状态', want, o.sync_status__c);
    if (shown) problem(`salesOrder ${String(o.name)} (${status ?? 'no record'}): ${shown}`);
  }

  // ---- ERP bills → CRM ----
  const notes = countBy(
    await crm('DeliveryNoteObj'),
    (r) => `${String(r.sales_order_id)}|${String(r.remark)}`,
  );
  for (const ob of story(jOutbounds, 'bill_no')) {
    const orderId = String((ob.material_entity as Row[])[0]!.src_inter_id);
    const crmOrder = await crmIdOf('salesOrder', orderId);
    expect(
      'deliveryNote',
      'jdy_to_crm',
      `${ob.id!}:${orderId}`,
      String(ob.bill_no),
      notes.get(`${crmOrder}|精斗云出库单 ${String(ob.bill_no)}`),
      () => null,
    );
  }
  const payments = countBy(await crm('PaymentObj'), (r) => String(r.remark));
  for (const [rows, kind] of [
    [jReceipts, '收款单'],
    [jPre, '预收款单'],
  ] as const) {
    for (const p of story(rows, 'bill_no'))
      expect(
        'payment',
        'jdy_to_crm',
        p.id!,
        String(p.bill_no),
        payments.get(`精斗云${kind} ${String(p.bill_no)}`),
        (t) => differs('amount', '1.00', Number(t.payment_amount).toFixed(2)),
      );
  }

  return {
    problemCount,
    problems,
    checked,
    retried: records.filter((r) => r.attempts.filter((a) => a.error).length > 0 && r.status === 'synced')
      .length,
    failed: failed.length,
  };
}
