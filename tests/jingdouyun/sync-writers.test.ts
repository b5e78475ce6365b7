/** The Jingdouyun sync writers (customers, sales orders, attachments) against the demo sandbox. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { IntegrationError } from '../../src/lib/errors.js';
import type { ErpCustomerInput, ErpOrderInput } from '../../src/erp/records.js';
import type { JdyCustomerDetail, JdySalesOrderDetail } from '../../plugins/jingdouyun/client/index.js';
import { baseUnitMemo, SalesOrdersWriter } from '../../plugins/jingdouyun/sync/writers.js';
import { startJdySyncFixture, type JdySyncFixture } from '../helpers/jdy-sync.js';

let fx: JdySyncFixture;

before(async () => {
  fx = await startJdySyncFixture();
});
after(() => fx.close());

async function customerInput(over: Partial<ErpCustomerInput> = {}): Promise<ErpCustomerInput> {
  return {
    number: 'CRM-C-0001',
    name: '杭州新客户商贸有限公司',
    categoryId: await fx.idOf('bd_customergroup', 'CG02'),
    salespersonId: await fx.idOf('bd_employee', 'EMP003'),
    address: '杭州市滨江区网商路599号',
    contact: { name: '杭州新客户商贸有限公司', mobile: '13700000001', email: 'buyer@xin.cn' },
    remark: '来自CRM',
    ...over,
  };
}

const customerDetail = (id: string): Promise<JdyCustomerDetail> => fx.client.customers.detail({ id });

async function callsTo(path: string, since: number): Promise<number> {
  const res = await fx.control<{ calls: unknown[] }>(
    'GET',
    `/__sandbox/calls?since=${since}&path=${encodeURIComponent(path)}`,
  );
  return res.calls.length;
}

async function lastSeq(): Promise<number> {
  const res = await fx.control<{ calls: Array<{ seq: number }> }>('GET', '/__sandbox/calls?limit=10000');
  return res.calls.at(-1)?.seq ?? 0;
}

test('customer create: the number as given and one default contact named after the customer', async () => {
  const customers = fx.adapter.customers;
  assert.equal(await customers.findByNumber('CRM-C-0001'), null);
  const ref = await customers.create(await customerInput());
  assert.equal(ref.number, 'CRM-C-0001');
  assert.deepEqual(await customers.findByNumber('CRM-C-0001'), ref);
  const detail = await customerDetail(ref.id);
  assert.equal(detail.saler_id, await fx.idOf('bd_employee', 'EMP003'));
  assert.deepEqual(
    detail.contacts.map((c) => [c.contact_person, c.mobile, c.email, c.is_default_linkman]),
    [['杭州新客户商贸有限公司', '13700000001', 'buyer@xin.cn', true]],
  );
  const read = await customers.get(ref.id);
  assert.equal(read?.mobile, '13700000001');
  assert.equal(read?.address, '杭州市滨江区网商路599号');
});

test('customer update: number kept, the plugin contact updated in place, other contacts kept', async () => {
  const customers = fx.adapter.customers;
  const ref = (await customers.findByNumber('CRM-C-0001'))!;
  const contactId = (await customerDetail(ref.id)).contacts[0]!.id;
  const renamed = '杭州新客户商贸集团有限公司';
  const input = await customerInput({
    number: 'CRM-C-0001-CHANGED',
    name: renamed,
    address: '杭州市滨江区网商路600号',
    contact: { name: renamed, mobile: '13700000002', email: 'buyer2@xin.cn' },
  });
  assert.deepEqual(await customers.update(ref.id, input), ref);
  let detail = await customerDetail(ref.id);
  assert.equal(detail.number, 'CRM-C-0001');
  assert.equal(detail.name, renamed);
  assert.deepEqual(
    detail.contacts.map((c) => [c.id, c.contact_person, c.mobile, c.is_default_linkman]),
    [[contactId, renamed, '13700000002', true]],
  );

  // Someone adds a contact in JDY and makes it the default one; the next update keeps it.
  await fx.client.customers.save({
    id: ref.id,
    contacts: [
      { id: contactId, contact_person: renamed, mobile: '13700000002', is_default_linkman: false },
      { contact_person: '采购部王经理', mobile: '13700000003', is_default_linkman: true },
    ],
  });
  await customers.update(ref.id, input);
  detail = await customerDetail(ref.id);
  assert.deepEqual(
    detail.contacts.map((c) => [c.contact_person, c.mobile, c.is_default_linkman]),
    [
      [renamed, '13700000002', true],
      ['采购部王经理', '13700000003', false],
    ],
  );
  assert.equal(detail.contacts[0]!.id, contactId);
  assert.equal((await customers.get(ref.id))?.mobile, '13700000002');
});

test('updating a customer imported from JDY adds the plugin contact as default, keeps the person', async () => {
  const id = await fx.idOf('bd_customer', 'KH0004');
  const name = '宁波甬港酒类批发有限公司';
  await fx.adapter.customers.update(
    id,
    await customerInput({ number: 'CRM-0004', name, contact: { name, mobile: '13700000004', email: '' } }),
  );
  const detail = await customerDetail(id);
  assert.equal(detail.number, 'KH0004');
  assert.deepEqual(
    detail.contacts.map((c) => [c.contact_person, c.mobile, c.is_default_linkman]),
    [
      ['徐建明', '13957400004', false],
      [name, '13700000004', true],
    ],
  );
});

async function orderInput(over: Partial<ErpOrderInput> = {}): Promise<ErpOrderInput> {
  return {
    number: 'CRM-SO-0001',
    date: '2025-04-01',
    customerId: await fx.idOf('bd_customer', 'KH0001'),
    salespersonId: await fx.idOf('bd_employee', 'EMP003'),
    deliveryMethod: '客户自提',
    remark: 'CRM订单',
    attachmentUrls: [],
    lines: [
      {
        productId: await fx.idOf('bd_material', 'JD0001'),
        qty: '2',
        price: '2899',
        warehouseId: await fx.idOf('bd_store', 'WH01'),
        deliveryDate: '2025-04-05',
      },
      {
        productId: await fx.idOf('bd_material', 'JD0007'),
        qty: '3',
        price: '528',
        warehouseId: null,
        deliveryDate: null,
      },
      {
        productId: await fx.idOf('bd_material', 'JD0001'),
        qty: '1',
        price: '2899',
        warehouseId: await fx.idOf('bd_store', 'WH02'),
        deliveryDate: null,
      },
    ],
    audit: false,
    ...over,
  };
}

const orderDetail = (id: string): Promise<JdySalesOrderDetail> => fx.client.salesOrders.detail({ id });

test('order create: number, header, base units (one lookup per product), attachment URL', async () => {
  const url = await fx.adapter.uploadAttachment(Buffer.from('合同扫描件'), '合同.pdf');
  assert.equal(await (await fetch(url)).text(), '合同扫描件');

  const since = await lastSeq();
  const ref = await fx.adapter.salesOrders.create(await orderInput({ attachmentUrls: [url] }));
  assert.equal(ref.number, 'CRM-SO-0001');
  assert.equal(await callsTo('/jdy/v2/bd/material_detail', since), 2);
  assert.deepEqual(await fx.adapter.salesOrders.findByNumber('CRM-SO-0001'), ref);
  assert.equal(await fx.adapter.salesOrders.findByNumber('CRM-SO-9999'), null);

  const detail = await orderDetail(ref.id);
  assert.equal(detail.bill_status, 'Z');
  assert.equal(detail.bill_date, '2025-04-01');
  assert.equal(detail.delivery_type_id, '9');
  assert.equal(detail.emp_id, await fx.idOf('bd_employee', 'EMP003'));
  assert.equal(detail.remark, 'CRM订单');
  assert.deepEqual(detail.attachments_url, [{ url }]);
  const u01 = await fx.idOf('bd_measureunits_new', 'U01');
  const u02 = await fx.idOf('bd_measureunits_new', 'U02');
  assert.deepEqual(
    detail.material_entity.map((l) => [
      l.material_number,
      l.unit_id,
      l.qty,
      l.price,
      l.is_free,
      l.stock_number,
      l.delivery_date,
    ]),
    [
      ['JD0001', u01, '2', '2899', false, 'WH01', '2025-04-05'],
      ['JD0007', u02, '3', '528', false, '', ''],
      ['JD0001', u01, '1', '2899', false, 'WH02', ''],
    ],
  );
});

test('order update: lines rebuilt on the stored line ids, number kept', async () => {
  const ref = (await fx.adapter.salesOrders.findByNumber('CRM-SO-0001'))!;
  const before = await orderDetail(ref.id);
  const idOfLine = (i: number): string => before.material_entity[i]!.id;
  const input = await orderInput({ number: 'CRM-SO-0001-X', deliveryMethod: '物流发货', remark: '改数量' });
  // The JD0007 line goes first with a new qty, the second JD0001 line is dropped.
  input.lines = [{ ...input.lines[1]!, qty: '5' }, input.lines[0]!];
  const since = await lastSeq();
  assert.deepEqual(await fx.adapter.salesOrders.update(ref.id, input), ref);
  assert.equal(await callsTo('/jdy/v2/bd/material_detail', since), 0, 'base units come from the cache');

  const after = await orderDetail(ref.id);
  assert.equal(after.bill_no, 'CRM-SO-0001');
  assert.equal(after.delivery_type_id, '6');
  assert.equal(after.remark, '改数量');
  assert.deepEqual(
    after.material_entity.map((l) => [l.id, l.material_number, l.qty]),
    [
      [idOfLine(1), 'JD0007', '5'],
      [idOfLine(0), 'JD0001', '2'],
    ],
  );
});

test('an audited order is not updated: a data error saying it is audited', async () => {
  const ref = await fx.adapter.salesOrders.create(await orderInput({ number: 'CRM-SO-0002', audit: true }));
  assert.equal((await orderDetail(ref.id)).bill_status, 'C');
  await assert.rejects(
    fx.adapter.salesOrders.update(ref.id, await orderInput({ number: 'CRM-SO-0002' })),
    (e: unknown) => {
      assert.ok(e instanceof IntegrationError);
      assert.equal(e.errorClass, 'data');
      assert.match(e.message, /已审核，不能修改/);
      return true;
    },
  );
  assert.equal((await orderDetail(ref.id)).material_entity.length, 3);
});

test('an order number JDY already has: the create answers that order (existed) and changes nothing', async () => {
  const ref = (await fx.adapter.salesOrders.findByNumber('CRM-SO-0002'))!;
  const since = await lastSeq();
  const again = await fx.adapter.salesOrders.create(
    await orderInput({ number: 'CRM-SO-0002', remark: '重复' }),
  );
  assert.deepEqual(again, { ...ref, existed: true });
  assert.equal(await callsTo('/jdy/v2/scm/sal_order', since), 1, 'one refused create, no second try');
  assert.equal((await orderDetail(ref.id)).remark, 'CRM订单');
});

test('base units are shared by every writer of the account set until they expire', async () => {
  const cache = baseUnitMemo(fx.clock, 1_000);
  const writer = (): SalesOrdersWriter => new SalesOrdersWriter(fx.client, cache);
  const unitsRead = async (number: string): Promise<number> => {
    const since = await lastSeq();
    await writer().create(await orderInput({ number }));
    return callsTo('/jdy/v2/bd/material_detail', since);
  };
  assert.equal(await unitsRead('CRM-SO-0101'), 2);
  assert.equal(await unitsRead('CRM-SO-0102'), 0, 'a second writer uses the units the first read');
  await fx.advance(1_000);
  assert.equal(await unitsRead('CRM-SO-0103'), 2, 'expired after the TTL');
});

test('a remembered base unit that changed meanwhile: the refused order is sent again with units read afresh', async () => {
  const cache = baseUnitMemo(fx.clock);
  const writer = new SalesOrdersWriter(fx.client, cache);
  const jd0001 = await fx.idOf('bd_material', 'JD0001');
  const u01 = await fx.idOf('bd_measureunits_new', 'U01');
  // What the memo would hold had JD0001's base unit been U02 when it was read.
  cache.set(`${fx.client.session.accountId}:${jd0001}`, await fx.idOf('bd_measureunits_new', 'U02'));
  const since = await lastSeq();
  const ref = await writer.create(await orderInput({ number: 'CRM-SO-0201' }));
  assert.equal(await callsTo('/jdy/v2/scm/sal_order', since), 2, 'refused once, then saved');
  const lines = (await orderDetail(ref.id)).material_entity.filter((l) => l.material_id === jd0001);
  assert.deepEqual(
    lines.map((l) => l.unit_id),
    [u01, u01],
  );
});

test('a create whose answer is lost finds the record instead of creating a second one', async () => {
  for (const [path, create, entity, number] of [
    [
      '/jdy/v2/scm/sal_order',
      () => orderInput({ number: 'CRM-SO-0003' }).then((i) => fx.adapter.salesOrders.create(i)),
      'sal_bill_order',
      'CRM-SO-0003',
    ],
    [
      '/jdy/v2/bd/customer',
      () =>
        customerInput({ number: 'CRM-C-0003', name: '丢包客户' }).then((i) => fx.adapter.customers.create(i)),
      'bd_customer',
      'CRM-C-0003',
    ],
  ] as const) {
    await fx.control('POST', '/__sandbox/faults', {
      path,
      method: 'POST',
      mode: 'commit_then_drop',
      delay_ms: 200,
    });
    const since = await lastSeq();
    const ref = await create();
    assert.equal(ref.number, number);
    assert.equal(await callsTo(path, since), 1, 'the create was not sent twice');
    const rows = await fx.records<{ id: string; number?: string; bill_no?: string }>(entity);
    const matching = rows.filter((r) => (r.number ?? r.bill_no) === number);
    assert.deepEqual(
      matching.map((r) => r.id),
      [ref.id],
    );
  }
  assert.equal((await fx.control<{ faults: unknown[] }>('GET', '/__sandbox/faults')).faults.length, 0);
});
