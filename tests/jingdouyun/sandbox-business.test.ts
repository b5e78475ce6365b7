import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startJdySandbox, type RunningJdySandbox } from '../../plugins/jingdouyun/sandbox/index.js';
import {
  control,
  dataOf,
  fetchAppToken,
  jdyRaw,
  type JdyRawTarget,
  type RawResponse,
} from '../helpers/jdy-raw.js';

const SECRET = '0123456789abcdef0123456789abcdef';
const DOMAIN = 'https://tf.jdy.com';
const UNIT = '110000000000000001';
const CUSTOMER = '110000000000000002';
const OTHER_CUSTOMER = '110000000000000003';

let sb: RunningJdySandbox;
let biz: JdyRawTarget;

before(async () => {
  sb = await startJdySandbox({ port: 0 });
});
after(async () => {
  await sb.close();
});
beforeEach(async () => {
  await control(sb.url, 'POST', '/reset', {});
  const seeded = await control(sb.url, 'POST', '/seed', {
    apps: [{ client_id: 'app1', client_secret: SECRET }],
    users: [{ uid: 1, username: '13800000001', password: 'pw' }],
    account_sets: [
      {
        account_id: 'A1',
        account_name: '账套',
        service_id: 's',
        group_id: 'g',
        group_name: 'tf01',
        domain: DOMAIN,
        members: [1],
        authorizations: [{ client_id: 'app1', app_key: 'ak', app_secret: 'as' }],
      },
    ],
    records: [
      {
        account_id: 'A1',
        entity: 'bd_measureunits_new',
        data: { id: UNIT, number: 'U1', name: '支', precision: 0 },
      },
      { account_id: 'A1', entity: 'bd_customer', data: { id: CUSTOMER, number: 'C1', name: '甲公司' } },
      { account_id: 'A1', entity: 'bd_customer', data: { id: OTHER_CUSTOMER, number: 'C2', name: '乙公司' } },
      { account_id: 'A1', entity: 'bd_store', data: { number: 'W1', name: '杭州总仓' } },
      { account_id: 'A1', entity: 'bd_store', data: { number: 'W9', name: '停用仓', enable: '0' } },
      { account_id: 'A1', entity: 'bd_material', data: { number: 'M1', name: '白酒', base_unit_id: UNIT } },
      { account_id: 'A1', entity: 'bd_material', data: { number: 'M2', name: '红酒', base_unit_id: UNIT } },
      {
        account_id: 'A1',
        entity: 'inventory',
        data: { material_number: 'M1', stock_number: 'W1', qty: '100' },
      },
    ],
  });
  assert.equal(seeded.status, 200, JSON.stringify(seeded.json));
  const app = { baseUrl: sb.url, clientId: 'app1', clientSecret: SECRET };
  biz = { ...app, appToken: (await fetchAppToken(app, 'ak', 'as')).token!, routerAddr: DOMAIN };
});

const post = (path: string, body: unknown) => jdyRaw(biz, 'POST', `/jdy/v2${path}`, { body });
const get = (path: string, query: [string, string][] = []) => jdyRaw(biz, 'GET', `/jdy/v2${path}`, { query });

function fails(res: RawResponse, errcode: number, description: string): void {
  assert.equal(res.status, 200);
  assert.deepEqual(res.body, { errcode, description, data: null });
}

async function saveOk(path: string, body: unknown): Promise<{ id: string; number: string }> {
  const data = dataOf<{ ids: string[]; id_number_map: Record<string, string> }>(await post(path, body));
  const id = data.ids[0]!;
  return { id, number: data.id_number_map[id]! };
}

const orderBody = (extra: Record<string, unknown> = {}) => ({
  bill_date: '2025-03-03',
  customer_number: 'C1',
  material_entity: [
    {
      material_number: 'M1',
      unit_number: 'U1',
      qty: '10',
      price: '12.5',
      is_free: false,
      stock_number: 'W1',
    },
  ],
  ...extra,
});

async function detail(path: string, id: string): Promise<Record<string, unknown>> {
  return dataOf(await get(path, [['id', id]]));
}

async function inventory(): Promise<Record<string, string>[]> {
  return dataOf<{ rows: Record<string, string>[] }>(await get('/scm/inventory', [['page_size', '100']])).rows;
}

describe('saves: validation order and codes (§3.2, §3.3)', () => {
  test('numbering formats and duplicates', async () => {
    const cust = await saveOk('/bd/customer', { name: '丙公司' });
    assert.equal(cust.number, 'CUST000001');
    assert.equal((await saveOk('/bd/customer_group', { name: '经销商' })).number, 'CUSTGRP000001');
    assert.equal((await saveOk('/bd/store', { name: '宁波仓' })).number, 'STOCK000001');
    const order = await saveOk('/scm/sal_order', orderBody());
    assert.equal(order.number, 'XSDD-20250303-00001');
    assert.equal((await saveOk('/scm/sal_order', orderBody())).number, 'XSDD-20250303-00002');
    assert.equal(
      (await saveOk('/scm/sal_order', orderBody({ bill_date: '2025-03-04' }))).number,
      'XSDD-20250304-00001',
    );
    fails(
      await post('/bd/customer', { number: 'C1', name: '新名字' }),
      1030002002,
      '编码C1已存在，不能重复新增',
    );
    fails(await post('/bd/customer', { name: '甲公司' }), 1030002002, '名称甲公司已存在');
    assert.ok((await saveOk('/bd/customer', { name: '甲公司', ignore_warn: true })).id);
    fails(
      await post('/scm/sal_order', orderBody({ bill_no: order.number })),
      1030002002,
      `单据编号${order.number}已存在，不能重复新增`,
    );
  });

  test('a failed save consumes no number', async () => {
    fails(await post('/bd/customer', { name: '甲公司' }), 1030002002, '名称甲公司已存在');
    assert.equal((await saveOk('/bd/customer', { name: '丁公司' })).number, 'CUST000001');
  });

  test('field checks: missing, type, format, reference, disabled, lines', async () => {
    fails(await post('/bd/customer', { name: '  ' }), 1030002000, 'name不能为空');
    fails(await post('/bd/customer', { id: 5, name: 'x' }), 1030002001, 'id类型不正确');
    fails(await post('/bd/customer', { id: '999', name: 'x' }), 1030002003, '客户[999]不存在');
    fails(
      await post('/bd/customer', { name: 'x', group_number: 'nope' }),
      1030002003,
      '客户分类[nope]不存在',
    );
    fails(await post('/bd/measure_unit', { name: '箱', precision: 7 }), 1030002006, 'precision格式不正确');
    fails(await post('/bd/material', { name: 'x' }), 1030002000, 'base_unit_id不能为空');
    fails(
      await post('/scm/sal_order', orderBody({ customer_number: 'C404' })),
      2016012099,
      '客户[C404]不存在',
    );
    fails(
      await post('/scm/sal_order', orderBody({ material_entity: [] })),
      1030002000,
      'material_entity不能为空',
    );
    fails(
      await post(
        '/scm/sal_order',
        orderBody({
          material_entity: [{ material_number: 'M1', unit_number: 'U1', price: '1', is_free: false }],
        }),
      ),
      1030002000,
      'material_entity[0].qty不能为空',
    );
    fails(
      await post(
        '/scm/sal_order',
        orderBody({
          material_entity: [
            { material_number: 'M1', unit_number: 'U1', qty: '1.00001', price: '1', is_free: false },
          ],
        }),
      ),
      1030002006,
      'material_entity[0].qty格式不正确',
    );
    fails(
      await post(
        '/scm/sal_order',
        orderBody({
          material_entity: [
            {
              material_number: 'M1',
              unit_number: 'U1',
              qty: '1',
              price: '1',
              is_free: false,
              stock_number: 'W9',
            },
          ],
        }),
      ),
      1030002003,
      '仓库[W9]已停用',
    );
    const tooMany = Array.from({ length: 501 }, () => ({
      material_number: 'M1',
      unit_number: 'U1',
      qty: '1',
      price: '1',
      is_free: false,
    }));
    fails(
      await post('/scm/sal_order', orderBody({ material_entity: tooMany })),
      1030002005,
      'material_entity行数超出限制，最多500',
    );
    fails(
      await post('/scm/sal_order', orderBody({ delivery_type_id: '7' })),
      1030002003,
      '交货方式[7]不存在',
    );
  });

  test('line updates: an unknown line id is refused; omitted lines are removed; seq follows the array', async () => {
    const order = await saveOk('/scm/sal_order', orderBody());
    const stored = (await detail('/scm/sal_order_detail', order.id)).material_entity as { id: string }[];
    fails(
      await post('/scm/sal_order', {
        id: order.id,
        material_entity: [
          { id: '123', material_number: 'M1', unit_number: 'U1', qty: '1', price: '1', is_free: false },
        ],
      }),
      1030002003,
      '分录[123]不存在',
    );
    await saveOk('/scm/sal_order', {
      id: order.id,
      material_entity: [
        { material_number: 'M2', unit_number: 'U1', qty: '3', price: '0.335', is_free: false },
        {
          id: stored[0]!.id,
          material_number: 'M1',
          unit_number: 'U1',
          qty: '2',
          price: '12.5',
          is_free: true,
        },
      ],
    });
    const after = await detail('/scm/sal_order_detail', order.id);
    const lines = after.material_entity as { id: string; seq: number; amount: string }[];
    assert.deepEqual(
      lines.map((l) => [l.seq, l.amount]),
      [
        [1, '1.01'],
        [2, '0'],
      ],
    );
    assert.equal(lines[1]!.id, stored[0]!.id);
    assert.equal(after.total_amount, '1.01');
    assert.equal(after.bill_no, order.number);
  });
});

describe('order → outbound → receipt (§6.3–§6.6)', () => {
  test('audit moves order quantities and inventory; unaudit reverses them', async () => {
    const order = await saveOk('/scm/sal_order', orderBody({ operation_key: 'audit' }));
    let inv = await inventory();
    assert.deepEqual(
      inv.map((r) => [r.material_number, r.stock_number, r.qty, r.valid_qty]),
      [['M1', 'W1', '100', '90']],
    );
    const orderLine = (
      (await detail('/scm/sal_order_detail', order.id)).material_entity as { id: string }[]
    )[0]!;
    const link = { src_bill_type_id: 'sal_bill_order', src_inter_id: order.id, src_entry_id: orderLine.id };
    const line = (qty: string) => ({
      material_number: 'M1',
      unit_number: 'U1',
      stock_number: 'W1',
      qty,
      price: '12.5',
      ...link,
    });
    fails(
      await post('/scm/sal_out_bound', {
        bill_date: '2025-03-04',
        customer_number: 'C1',
        material_entity: [line('11')],
      }),
      2016043010,
      '出库数量超过源单未出库数量',
    );
    fails(
      await post('/scm/sal_out_bound', {
        bill_date: '2025-03-04',
        customer_number: 'C2',
        material_entity: [line('1')],
      }),
      2016043010,
      '源单客户与单据客户不一致',
    );
    const out = await saveOk('/scm/sal_out_bound', {
      bill_date: '2025-03-04',
      customer_number: 'C1',
      material_entity: [line('4')],
    });
    assert.equal(out.number, 'XSCK-20250304-00001');
    // Unaudited outbounds reserve nothing.
    assert.equal(
      ((await detail('/scm/sal_order_detail', order.id)).material_entity as { out_qty: string }[])[0]!
        .out_qty,
      '0',
    );
    await control(sb.url, 'POST', '/clock', { advance_ms: 2000 });
    const audit = await post('/sys/common_operate', {
      entity_number: 'sal_bill_outbound',
      operate_type: 'audit',
      ids: [out.id],
    });
    assert.deepEqual(dataOf(audit), { ids: [out.id], id_number_map: { [out.id]: out.number } });
    const o = await detail('/scm/sal_order_detail', order.id);
    const ol = (o.material_entity as Record<string, string>[])[0]!;
    assert.deepEqual([o.io_status, o.real_io_status, ol.out_qty, ol.un_out_qty], ['Z', 'Z', '4', '6']);
    inv = await inventory();
    assert.deepEqual([inv[0]!.qty, inv[0]!.valid_qty], ['96', '90']);
    const outDetail = await detail('/scm/sal_out_bound_detail', out.id);
    const outLine = (outDetail.material_entity as Record<string, unknown>[])[0]!;
    assert.deepEqual([outLine.src_bill_no, outLine.src_seq], [o.bill_no, 1]);
    assert.equal(outDetail.settle_status, 'A');
    fails(
      await post('/scm/sal_out_bound', { id: out.id, remark: 'x' }),
      2018023007,
      '该单据为审核状态，不允许修改',
    );
    fails(
      await post('/sys/common_operate', {
        entity_number: 'sal_bill_outbound',
        operate_type: 'delete',
        ids: [out.id],
      }),
      2018023007,
      '该单据为审核状态，不允许删除',
    );
    fails(
      await post('/sys/common_operate', {
        entity_number: 'sal_bill_order',
        operate_type: 'unaudit',
        ids: [order.id],
      }),
      1030002004,
      `销售订单[${o.bill_no as string}]已被下游单据引用，无法反审核`,
    );
    dataOf(
      await post('/sys/common_operate', {
        entity_number: 'sal_bill_outbound',
        operate_type: 'unaudit',
        numbers: [out.number],
      }),
    );
    const back = await detail('/scm/sal_order_detail', order.id);
    assert.equal(back.io_status, 'A');
    inv = await inventory();
    assert.deepEqual([inv[0]!.qty, inv[0]!.valid_qty], ['100', '90']);
  });

  test('receipts: over the unsettled amount → 2016043025; amounts must add up; settle_status follows', async () => {
    const order = await saveOk('/scm/sal_order', orderBody({ operation_key: 'audit' }));
    const orderLine = (
      (await detail('/scm/sal_order_detail', order.id)).material_entity as { id: string }[]
    )[0]!;
    const out = await saveOk('/scm/sal_out_bound', {
      bill_date: '2025-03-04',
      customer_id: CUSTOMER,
      operation_key: 'audit',
      material_entity: [
        {
          material_number: 'M1',
          unit_id: UNIT,
          stock_number: 'W1',
          qty: '10',
          price: '12.5',
          src_bill_type_id: 'sal_bill_order',
          src_inter_id: order.id,
          src_entry_id: orderLine.id,
        },
      ],
    });
    const receipt = (amount: string, settle: string, extra: Record<string, unknown> = {}) => ({
      bill_date: '2025-03-05',
      customer_id: CUSTOMER,
      pay_entry_list: [{ amount, settle_account_id: 'ACC1' }],
      source_bill_entry_list: [
        { src_bill_type_id: 'sal_bill_outbound', src_bill_id: out.id, cur_settle_amount: settle },
      ],
      ...extra,
    });
    fails(await post('/arap/ar_credit', receipt('125.01', '125.01')), 2016043025, '核销金额超过未核销金额');
    fails(
      await post('/arap/ar_credit', receipt('50', '60')),
      2016043009,
      '收款金额合计不等于本次核销金额合计减折扣',
    );
    fails(
      await post('/arap/ar_credit', receipt('100', '100', { customer_id: '1' })),
      2016012099,
      '客户[1]不存在',
    );
    const r1 = await saveOk(
      '/arap/ar_credit',
      receipt('50', '60', { total_discount_amount: '10', operate_type: 'audit' }),
    );
    assert.equal(r1.number, 'SKD-20250305-00001');
    let od = await detail('/scm/sal_out_bound_detail', out.id);
    assert.deepEqual([od.settle_status, od.total_un_settle_amount], ['B', '65']);
    fails(await post('/arap/ar_credit', receipt('65.01', '65.01')), 2016043025, '核销金额超过未核销金额');
    const r2 = await saveOk('/arap/ar_credit', receipt('65', '65'));
    const rd = await detail('/arap/ar_credit_detail', r2.id);
    const src = (rd.source_bill_entry_list as Record<string, string>[])[0]!;
    assert.deepEqual([src.src_bill_amount, src.settle_amount, src.un_settle_amount], ['125', '60', '65']);
    dataOf(
      await post('/sys/common_operate', {
        entity_number: 'ar_creditbill',
        operate_type: 'audit',
        ids: [r2.id],
      }),
    );
    od = await detail('/scm/sal_out_bound_detail', out.id);
    assert.equal(od.settle_status, 'C');
    fails(
      await post('/sys/common_operate', {
        entity_number: 'sal_bill_outbound',
        operate_type: 'unaudit',
        ids: [out.id],
      }),
      1030002004,
      `销售出库单[${out.number}]已被下游单据引用，无法反审核`,
    );
  });

  test('bill_push creates an unaudited outbound for the remaining quantities', async () => {
    const order = await saveOk('/scm/sal_order', orderBody({ operation_key: 'audit' }));
    const pushed = dataOf<{ ids: string[] }>(
      await post('/sys/bill_push', {
        id: order.id,
        source_bill: 'sal_bill_order',
        target_bill: 'sal_bill_outbound',
      }),
    );
    const out = await detail('/scm/sal_out_bound_detail', pushed.ids[0]!);
    assert.equal(out.bill_status, 'Z');
    assert.equal((out.material_entity as { qty: string }[])[0]!.qty, '10');
    dataOf(
      await post('/sys/common_operate', {
        entity_number: 'sal_bill_outbound',
        operate_type: 'audit',
        ids: pushed.ids,
      }),
    );
    fails(
      await post('/sys/bill_push', {
        id: order.id,
        source_bill: 'sal_bill_order',
        target_bill: 'sal_bill_outbound',
      }),
      2016043010,
      '源单已全部出库',
    );
  });

  test('a pre-receipt needs an audited order of the same customer', async () => {
    const order = await saveOk('/scm/sal_order', orderBody());
    const emp = await saveOk('/bd/emp', { name: '张伟', mobile: '13911110003' });
    const body = {
      bill_no: 'YS-001',
      bill_date: '2025-03-05',
      customer_id: CUSTOMER,
      dept_id: 'D1',
      emp_id: emp.id,
      pay_entry_list: [{ amount: '100', settle_account_id: 'ACC1' }],
      sel_bill_info_entry: [
        { src_bill_type_id: 'sal_bill_order', src_inter_id: order.id, cur_settle_amount: '100' },
      ],
    };
    fails(await post('/arap/ar_pre_credit', body), 2016043010, '未找到源单或源单未审核或订单已关闭');
    dataOf(
      await post('/sys/common_operate', {
        entity_number: 'sal_bill_order',
        operate_type: 'audit',
        ids: [order.id],
      }),
    );
    fails(
      await post('/arap/ar_pre_credit', {
        ...body,
        sel_bill_info_entry: [{ ...body.sel_bill_info_entry[0], src_bill_type_id: 'x' }],
      }),
      2016043007,
      '预收款单的源单类型必须是销售订单',
    );
    const pre = await saveOk('/arap/ar_pre_credit', body);
    assert.equal(pre.number, 'YS-001');
    const pd = await detail('/arap/ar_pre_credit_detail', pre.id);
    assert.equal((pd.sel_bill_info_entry as { src_bill_amount: string }[])[0]!.src_bill_amount, '125');
  });
});

describe('lists, deletions, faults (§4, §6.8, §8.4)', () => {
  test('modify windows are inclusive at both ends and ordered by modify_time then id', async () => {
    const clock = await control(sb.url, 'GET', '/clock');
    const t0 = Math.floor((clock.json.now as number) / 1000) * 1000 + 10_000;
    await control(sb.url, 'POST', '/clock', { now: t0 });
    const a = await saveOk('/bd/material_brand', { name: 'A' });
    const b = await saveOk('/bd/material_brand', { name: 'B' });
    await control(sb.url, 'POST', '/clock', { advance_ms: 5000 });
    const c = await saveOk('/bd/material_brand', { name: 'C' });
    await control(sb.url, 'POST', '/clock', { advance_ms: 5000 });
    await saveOk('/bd/material_brand', { id: a.id, name: 'A2' });
    const list = async (start: number, end: number) =>
      dataOf<{ count: string; rows: { id: string }[] }>(
        await get('/bd/material_brand', [
          ['modify_start_time', String(start)],
          ['modify_end_time', String(end)],
        ]),
      );
    const all = await list(t0, t0 + 10_000);
    assert.equal(all.count, '3');
    assert.deepEqual(
      all.rows.map((r) => r.id),
      [b.id, c.id, a.id],
    );
    assert.deepEqual(
      (await list(t0, t0)).rows.map((r) => r.id),
      [b.id],
    );
    assert.deepEqual(
      (await list(t0 + 5000, t0 + 5000)).rows.map((r) => r.id),
      [c.id],
    );
    assert.equal((await list(t0 + 1, t0 + 1)).count, '0');
    assert.equal((await list(t0 + 10, t0)).count, '0');
  });

  test('paging: page_size limits and the list envelope', async () => {
    fails(await get('/bd/customer', [['page_size', '101']]), 1030002005, 'page_size超出限制，最大100');
    fails(await get('/bd/customer', [['page', '0']]), 1030002006, 'page格式不正确');
    fails(
      await get('/bd/customer', [['modify_start_time', 'abc']]),
      1030002006,
      'modify_start_time格式不正确',
    );
    const page = dataOf(
      await get('/bd/customer', [
        ['page', '2'],
        ['page_size', '1'],
      ]),
    );
    assert.deepEqual(
      { ...page, rows: undefined },
      {
        count: '2',
        page: 2,
        page_size: 1,
        total_page: 2,
        current_page: 2,
        current_page_size: 1,
        rows: undefined,
      },
    );
    assert.equal(dataOf<{ count: number }>(await get('/scm/sal_order')).count, 0);
  });

  test('deletes are logged, blocked while referenced, and a repeated delete → 1030002003', async () => {
    const brand = await saveOk('/bd/material_brand', { name: '茅台' });
    const mat = await saveOk('/bd/material', { name: '飞天', base_unit_id: UNIT, brand_id: brand.id });
    fails(
      await post('/sys/common_operate', {
        entity_number: 'bd_brand',
        operate_type: 'delete',
        ids: [brand.id],
      }),
      1030002004,
      `品牌[${brand.number}]已被其他对象使用，无法删除`,
    );
    // All-or-nothing: the second id fails, so the first is not deleted either.
    fails(
      await post('/sys/common_operate', {
        entity_number: 'bd_material',
        operate_type: 'delete',
        ids: [mat.id, '42'],
      }),
      1030002003,
      '商品[42]不存在',
    );
    dataOf(
      await post('/sys/common_operate', {
        entity_number: 'bd_material',
        operate_type: 'delete',
        ids: [mat.id],
      }),
    );
    fails(
      await post('/sys/common_operate', {
        entity_number: 'bd_material',
        operate_type: 'delete',
        ids: [mat.id],
      }),
      1030002003,
      `商品[${mat.id}]不存在`,
    );
    const log = dataOf<{ count: number; rows: Record<string, string>[] }>(
      await get('/sys/deleted_log', [['entity_number', 'bd_material']]),
    );
    assert.equal(log.count, 1);
    assert.deepEqual(
      [log.rows[0]!.id, log.rows[0]!.number, log.rows[0]!.entity_number],
      [mat.id, mat.number, 'bd_material'],
    );
    fails(await get('/sys/deleted_log', [['entity_number', 'bd_x']]), 1030002003, '业务对象[bd_x]不存在');
    fails(await get('/bd/material_detail', [['id', mat.id]]), 1030002003, `商品[${mat.id}]不存在`);
  });

  test('commit_then_drop: the write is applied but no response arrives', async () => {
    const fault = await control(sb.url, 'POST', '/faults', {
      path: '/jdy/v2/bd/customer',
      method: 'POST',
      mode: 'commit_then_drop',
      delay_ms: 50,
    });
    assert.equal(fault.status, 200);
    await assert.rejects(post('/bd/customer', { number: 'C77', name: '丢失响应客户' }));
    const found = dataOf<{ name: string }>(await get('/bd/customer_detail', [['number', 'C77']]));
    assert.equal(found.name, '丢失响应客户');
  });
});
