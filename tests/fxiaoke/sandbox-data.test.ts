import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { hookSignature } from '../../src/fxiaoke/crypto.js';
import { startFxSandbox } from '../../src/fxiaoke/sandbox/index.js';
import { demoSeed } from '../../src/fxiaoke/sandbox/seed/demo.js';
import { ADMIN, SandboxHarness, TEST_CORP, USER } from '../../src/fxiaoke/sandbox/testing.js';
import { FX_TENANTS, SHARED_PRODUCT_CODE } from '../../src/demo/story.js';

let h: SandboxHarness;
before(async () => {
  h = await SandboxHarness.start();
  await h.ctl('/limits', { rateLimit: false });
});
after(() => h.close());

const P = '/cgi/crm/v2/data/';
type Obj = Record<string, unknown>;
const create = (object_data: Obj, extra: Obj = {}) =>
  h.crm(`${P}create`, { data: { object_data, ...extra } });
const code = (a: { json: Obj }) => a.json.errorCode;
async function createOk(object_data: Obj, extra: Obj = {}, flags: Obj = {}): Promise<string> {
  const r = await h.crm(`${P}create`, { ...flags, data: { object_data, ...extra } });
  assert.equal(r.json.errorCode, 0, JSON.stringify(r.json));
  return String(r.json.dataId);
}
const get = async (api: string, id: string): Promise<Obj> =>
  (await h.crm(`${P}get`, { data: { dataObjectApiName: api, objectDataId: id } })).json.data as Obj;
const query = (api: string, sqi: Obj, extra: Obj = {}) =>
  h.crm(api.endsWith('__c') ? '/cgi/crm/custom/v2/data/query' : `${P}query`, {
    data: { dataObjectApiName: api, search_query_info: sqi, ...extra },
  });

test('create: checks in order and the stored record format', async () => {
  assert.equal(code(await h.crm(`${P}create`, { data: {} })), 10006);
  assert.equal(code(await create({ name: 'x' })), 10006);
  assert.equal(code(await create({ dataObjectApiName: 'NopeObj' })), 32001);
  assert.equal(code(await create({ dataObjectApiName: 'SalesOrderProductObj' })), 32001);
  assert.equal(
    code(
      await h.crm('/cgi/crm/custom/v2/data/create', {
        data: { object_data: { dataObjectApiName: 'AccountObj' } },
      }),
    ),
    32001,
  );
  assert.equal(code(await create({ dataObjectApiName: 'AccountObj', name: 'a', deal_status: '2' })), 32003);
  assert.equal(code(await create({ dataObjectApiName: 'AccountObj', bogus: 1 })), 32003);
  assert.equal(code(await create({ dataObjectApiName: 'ProductObj', name: '无价格' })), 32002);
  assert.equal(
    code(await create({ dataObjectApiName: 'ProductObj', name: 'p', price: '1', product_status: '7' })),
    50009,
  );
  assert.equal(code(await create({ dataObjectApiName: 'ProductObj', name: 'p', price: '1.234' })), 50009);
  assert.equal(
    code(await create({ dataObjectApiName: 'AccountObj', name: 'a', owner: ['FSUID_NONE'] })),
    30027,
  );
  assert.equal(code(await h.crm(`${P}create`, { triggerWorkFlow: 'no', data: {} })), 10006);
  const id = await createOk({
    dataObjectApiName: 'ProductObj',
    name: '红酒',
    price: 99,
    product_code: 'P-1',
  });
  assert.match(id, /^[0-9a-f]{24}$/);
  const rec = await get('ProductObj', id);
  assert.equal(rec.price, '99.00');
  assert.equal(rec.product_status, '1');
  assert.equal(rec.version, '1');
  assert.equal(rec.life_status, 'normal');
  assert.equal(rec.lock_status, '0');
  assert.deepEqual(rec.owner, [ADMIN]);
  assert.deepEqual(rec.owner__r, { id: ADMIN, name: '张三' });
  assert.equal('remark' in rec, false);
  const withNull = (
    await h.crm(`${P}get`, { includeNull: true, data: { dataObjectApiName: 'ProductObj', objectDataId: id } })
  ).json.data as Obj;
  assert.equal(withNull.remark, null);
  const upd = await h.crm(`${P}update`, {
    data: { object_data: { dataObjectApiName: 'ProductObj', _id: id, owner: [USER] } },
  });
  assert.equal(code(upd), 32003);
});

test('query: paging checks, filters and the _id cursor over 25 000 records', async () => {
  const records = Array.from({ length: 25_000 }, (_, i) => ({
    corpId: TEST_CORP,
    objectApiName: 'AccountObj',
    record: { name: `客户${i}`, account_no: `C${String(i).padStart(6, '0')}` },
  }));
  assert.equal((await h.ctl('/seed', { records })).status, 200);
  assert.equal(code(await query('AccountObj', { limit: 101 })), 32007);
  assert.equal(code(await query('AccountObj', { limit: 100, offset: 10_100 })), 10013);
  assert.equal(code(await query('AccountObj', { limit: 100, offset: 50 })), 32007);
  assert.equal(code(await h.crm(`${P}query`, { data: { dataObjectApiName: 'AccountObj' } })), 10006);
  const badFilter = { limit: 10, filters: [{ field_name: 'name', operator: 'NE', field_values: ['x'] }] };
  assert.equal(code(await query('AccountObj', badFilter)), 32007);
  const eq = await query('AccountObj', {
    limit: 10,
    filters: [{ field_name: 'account_no', operator: 'IN', field_values: ['C000007', 'C024999', 'nope'] }],
  });
  const eqData = eq.json.data as { dataList: Obj[]; total: number };
  assert.equal(eqData.total, 2);
  assert.deepEqual(eqData.dataList.map((r) => r.account_no).sort(), ['C000007', 'C024999']);
  const started = Date.now();
  const seen = new Set<string>();
  let last: string | null = null;
  for (;;) {
    const filters = last ? [{ field_name: '_id', operator: 'GT', field_values: [last] }] : [];
    const r = await query('AccountObj', {
      limit: 100,
      offset: 0,
      orders: [{ fieldName: '_id', isAsc: true }],
      filters,
      fieldProjection: ['account_no'],
    });
    const list = (r.json.data as { dataList: Obj[] }).dataList;
    for (const row of list) {
      assert.equal(seen.has(String(row._id)), false);
      seen.add(String(row._id));
    }
    if (list.length < 100) break;
    last = String(list[list.length - 1]?._id);
  }
  assert.ok(seen.size >= 25_000);
  assert.ok(Date.now() - started < 20_000, `cursor scan took ${Date.now() - started} ms`);
});

test('invalid, then delete; delete before invalid is 32005; recover', async () => {
  const a = await createOk({ dataObjectApiName: 'AccountObj', name: '待删除客户' });
  const b = await createOk({ dataObjectApiName: 'AccountObj', name: '待恢复客户' });
  assert.equal(
    code(await h.crm(`${P}delete`, { data: { dataObjectApiName: 'AccountObj', idList: [a] } })),
    32005,
  );
  assert.equal(
    code(await h.crm(`${P}delete`, { data: { dataObjectApiName: 'AccountObj', idList: [a, a] } })),
    10006,
  );
  for (const id of [a, b]) {
    assert.equal(
      code(await h.crm(`${P}invalid`, { data: { dataObjectApiName: 'AccountObj', object_data_id: id } })),
      0,
    );
  }
  assert.equal(
    code(await h.crm(`${P}invalid`, { data: { dataObjectApiName: 'AccountObj', object_data_id: a } })),
    32005,
  );
  const inv = await get('AccountObj', a);
  assert.equal(inv.life_status, 'invalid');
  assert.equal(inv.life_status_before_invalid, 'normal');
  assert.equal(inv.version, '2');
  assert.equal(
    code(await h.crm(`${P}delete`, { data: { dataObjectApiName: 'AccountObj', idList: [a] } })),
    0,
  );
  assert.equal(
    code(await h.crm(`${P}get`, { data: { dataObjectApiName: 'AccountObj', objectDataId: a } })),
    32004,
  );
  assert.equal(
    code(await h.crm(`${P}delete`, { data: { dataObjectApiName: 'AccountObj', idList: [a] } })),
    32004,
  );
  assert.equal(
    code(await h.crm(`${P}recover`, { data: { dataObjectApiName: 'AccountObj', idList: [b] } })),
    0,
  );
  const rec = await get('AccountObj', b);
  assert.equal(rec.life_status, 'normal');
  assert.equal('life_status_before_invalid' in rec, false);
});

test('sales orders: details replace on update, totals and derived deal_status', async () => {
  const acc = await createOk({ dataObjectApiName: 'AccountObj', name: '成交客户' });
  const p1 = await createOk({ dataObjectApiName: 'ProductObj', name: '白酒', price: '10' });
  const p2 = await createOk({ dataObjectApiName: 'ProductObj', name: '啤酒', price: '5' });
  const order = { dataObjectApiName: 'SalesOrderObj', account_id: acc, order_time: 1735660800000 };
  assert.equal(code(await create(order)), 32002);
  assert.equal(code(await create(order, { details: { SalesOrderProductObj: [] } })), 32002);
  assert.equal(
    code(await create({ ...order, order_time: 1735660800001 }, { details: { SalesOrderProductObj: [] } })),
    50009,
  );
  const r = await h.crm(`${P}create`, {
    includeDetailIds: true,
    data: {
      object_data: order,
      details: {
        SalesOrderProductObj: [
          { product_id: p1, quantity: '2', sales_price: '99.50' },
          { product_id: p2, quantity: 1, sales_price: 0.335 },
        ],
      },
    },
  });
  assert.equal(code(r), 50009, 'three decimals on a currency');
  const ok = await h.crm(`${P}create`, {
    includeDetailIds: true,
    data: {
      object_data: order,
      details: {
        SalesOrderProductObj: [
          { product_id: p1, quantity: '2', sales_price: '99.50' },
          { product_id: p2, quantity: 1, sales_price: 0.5 },
        ],
      },
    },
  });
  assert.equal(code(ok), 0);
  const oid = String(ok.json.dataId);
  const rows = (ok.json.detailIds as Record<string, string[]>).SalesOrderProductObj ?? [];
  assert.equal(rows.length, 2);
  let o = await get('SalesOrderObj', oid);
  assert.equal(o.product_amount, '199.50');
  assert.equal(o.order_amount, '199.50');
  assert.match(String(o.name), /^\d{8}-\d{6}$/);
  assert.equal(o.account_id__r, '成交客户');
  let a = await get('AccountObj', acc);
  assert.equal(a.deal_status, '2');
  assert.equal(a.last_deal_closed_time, 1735660800000);
  assert.deepEqual(a.last_modified_by, ['-10000']);

  const upd = await h.crm(`${P}update`, {
    data: {
      object_data: { dataObjectApiName: 'SalesOrderObj', _id: oid },
      details: {
        SalesOrderProductObj: [
          { _id: rows[0], quantity: '3' },
          { product_id: p2, quantity: '4', sales_price: '1' },
        ],
      },
    },
  });
  assert.equal(code(upd), 0);
  const lines = (
    await query('SalesOrderProductObj', {
      limit: 10,
      filters: [{ field_name: 'order_id', operator: 'EQ', field_values: [oid] }],
      orders: [{ fieldName: '_id', isAsc: true }],
    })
  ).json.data as { dataList: Obj[] };
  assert.equal(lines.dataList.length, 2);
  assert.equal(lines.dataList[0]?._id, rows[0]);
  assert.equal(lines.dataList[0]?.subtotal, '298.50');
  assert.notEqual(lines.dataList[1]?._id, rows[1]);
  o = await get('SalesOrderObj', oid);
  assert.equal(o.product_amount, '302.50');
  assert.equal(o.version, '2');
  const stale = await h.crm(`${P}update`, {
    data: {
      object_data: { dataObjectApiName: 'SalesOrderObj', _id: oid },
      details: { SalesOrderProductObj: [{ _id: rows[1], quantity: '1' }] },
    },
  });
  assert.equal(code(stale), 32004);
  const empty = await h.crm(`${P}update`, {
    data: {
      object_data: { dataObjectApiName: 'SalesOrderObj', _id: oid },
      details: { SalesOrderProductObj: [] },
    },
  });
  assert.equal(code(empty), 32002);

  await createOk(
    { ...order, order_time: 1735747200000 },
    { details: { SalesOrderProductObj: [{ product_id: p1, quantity: '1', sales_price: '1' }] } },
  );
  a = await get('AccountObj', acc);
  assert.equal(a.deal_status, '3');
  assert.equal(a.last_deal_closed_time, 1735747200000);
  await h.crm(`${P}invalid`, { data: { dataObjectApiName: 'SalesOrderObj', object_data_id: oid } });
  a = await get('AccountObj', acc);
  assert.equal(a.deal_status, '2');
});

test('metadata: permission switch, admin only, duplicates', async () => {
  const field = { api_name: 'jdy_id__c', label: '精斗云ID', type: 'text' };
  await h.ctl('/tenant', { corpId: TEST_CORP, metadataWritePermission: false });
  assert.equal(
    code(await h.crm('/cgi/crm/v2/object/field/create', { data: { apiName: 'AccountObj', field } })),
    20014,
  );
  await h.ctl('/tenant', { corpId: TEST_CORP, metadataWritePermission: true });
  assert.equal(
    code(await h.crm('/cgi/crm/v2/object/field/create', { data: { apiName: 'AccountObj', field } }, USER)),
    20014,
  );
  const bad = { ...field, api_name: 'no_suffix' };
  assert.equal(
    code(await h.crm('/cgi/crm/v2/object/field/create', { data: { apiName: 'AccountObj', field: bad } })),
    32010,
  );
  const made = await h.crm('/cgi/crm/v2/object/field/create', { data: { apiName: 'AccountObj', field } });
  assert.equal(code(made), 0);
  assert.equal(((made.json.data as Obj).field as Obj).define_type, 'custom');
  assert.equal(
    code(await h.crm('/cgi/crm/v2/object/field/create', { data: { apiName: 'AccountObj', field } })),
    32009,
  );
  const sameLabel = { ...field, api_name: 'other__c' };
  assert.equal(
    code(
      await h.crm('/cgi/crm/v2/object/field/create', { data: { apiName: 'AccountObj', field: sameLabel } }),
    ),
    32009,
  );
  const id = await createOk({ dataObjectApiName: 'AccountObj', name: '带ERP号', jdy_id__c: 'JDY-1' });
  const found = await query('AccountObj', {
    limit: 5,
    filters: [{ field_name: 'jdy_id__c', operator: 'EQ', field_values: ['JDY-1'] }],
  });
  assert.equal(((found.json.data as { dataList: Obj[] }).dataList[0] ?? {})._id, id);

  const objDef = {
    api_name: 'object_cat__c',
    display_name: '客户分类',
    fields: [{ api_name: 'code__c', label: '分类编码', type: 'text' }],
  };
  assert.equal(code(await h.crm('/cgi/crm/v2/object/create', { data: objDef })), 0);
  assert.equal(code(await h.crm('/cgi/crm/v2/object/create', { data: objDef })), 32009);
  assert.equal(code(await create({ dataObjectApiName: 'object_cat__c', name: 'x' })), 32001);
  const c = await h.crm('/cgi/crm/custom/v2/data/create', {
    data: { object_data: { dataObjectApiName: 'object_cat__c', name: 'A', code__c: 'A1' } },
  });
  assert.equal(code(c), 0);
  const list = (await h.crm('/cgi/crm/v2/object/list', { data: {} })).json.data as { objects: Obj[] };
  assert.equal(list.objects[0]?.describeApiName, 'AccountObj');
  assert.deepEqual(list.objects.at(-1), {
    describeApiName: 'object_cat__c',
    describeDisplayName: '客户分类',
    defineType: 'custom',
    isActive: true,
  });
});

test('product categories: create, option mirror, edit rules', async () => {
  const edit = (data: Obj) => h.crm('/cgi/crm/data/editProductCategory', { data });
  const root = await edit({ editFlag: 1, name: '酒水', code: 'C01' });
  assert.equal(code(root), 0);
  const rootId = String((root.json.data as Obj).id);
  const child = String(
    ((await edit({ editFlag: 1, name: '红酒', code: 'C0101', pid: rootId, orderField: 1 })).json.data as Obj)
      .id,
  );
  assert.equal(code(await edit({ editFlag: 1, name: '红酒', code: 'C0102', pid: rootId })), 32006);
  assert.equal(code(await edit({ editFlag: 1, name: '其他', code: 'C01' })), 32006);
  assert.equal(code(await edit({ editFlag: 4 })), 10006);
  assert.equal(code(await edit({ editFlag: 2, id: rootId, code: 'X' })), 32003);
  assert.equal(code(await edit({ editFlag: 2, id: rootId, pid: child })), 32000);
  assert.equal(code(await edit({ editFlag: 2, id: 'nope' })), 32004);
  assert.equal(code(await edit({ editFlag: 3, id: rootId })), 32005);
  const q = await h.crm('/cgi/crm/data/queryProductCategory', { data: {} });
  const cats = (q.json.data as { categories: Obj[] }).categories;
  assert.deepEqual(
    cats.map((c) => [c.name, c.pid, c.orderField]),
    [
      ['酒水', null, 0],
      ['红酒', rootId, 1],
    ],
  );
  const describe = await h.crm('/cgi/crm/v2/object/describe', { data: { apiName: 'ProductObj' } });
  const fields = ((describe.json.data as Obj).describe as Obj).fields as Record<string, Obj>;
  assert.deepEqual(fields.category?.options, [
    { label: '酒水', value: rootId },
    { label: '红酒', value: child },
  ]);
  await createOk({ dataObjectApiName: 'ProductObj', name: '干红', price: '1', category: child });
  assert.equal(code(await edit({ editFlag: 3, id: child })), 32005);
  assert.equal(code(await create({ dataObjectApiName: 'ProductCategoryObj', name: 'x' })), 32001);
});

test('files: upload, download, file fields and 10007', async () => {
  const form = new FormData();
  form.append('media', new Blob([Buffer.from('hello pdf')]), '合同.pdf');
  const url = `${h.sb.url}/media/upload?corpAccessToken=${h.corpToken}&corpId=${TEST_CORP}&type=document`;
  const up = (await (await fetch(url, { method: 'POST', body: form })).json()) as Obj;
  assert.equal(up.errorCode, 0);
  assert.match(String(up.mediaId), /^[0-9a-f]{32}$/);
  assert.match(String(up.npath), /^N_\d{6}_\d{2}_[0-9a-f]{32}$/);
  const img = new FormData();
  img.append('media', new Blob([Buffer.from('x')]), 'a.pdf');
  const badImg = (await (
    await fetch(url.replace('document', 'image'), { method: 'POST', body: img })
  ).json()) as Obj;
  assert.equal(badImg.errorCode, 32008);
  const dl = await fetch(`${h.sb.url}/media/download`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ corpAccessToken: h.corpToken, corpId: TEST_CORP, npath: up.npath }),
  });
  assert.equal(dl.headers.get('content-type'), 'application/octet-stream');
  assert.equal(Buffer.from(await dl.arrayBuffer()).toString(), 'hello pdf');
  assert.equal(code(await h.corp('/media/download', { mediaId: 'f'.repeat(32) })), 10007);
  assert.equal(code(await h.corp('/media/download', { mediaId: up.mediaId, npath: up.npath })), 10006);
  const field = { api_name: 'files__c', label: '附件', type: 'file_attachment' };
  assert.equal(
    code(await h.crm('/cgi/crm/v2/object/field/create', { data: { apiName: 'AccountObj', field } })),
    0,
  );
  const entry = { filename: '合同.pdf', ext: 'pdf', path: up.npath, size: 9, extra: 1 };
  assert.equal(
    code(
      await create({
        dataObjectApiName: 'AccountObj',
        name: 'f',
        files__c: [{ ...entry, path: up.mediaId }],
      }),
    ),
    10007,
  );
  const id = await createOk({ dataObjectApiName: 'AccountObj', name: 'f', files__c: [entry] });
  assert.deepEqual((await get('AccountObj', id)).files__c, [
    { filename: '合同.pdf', ext: 'pdf', path: up.npath, size: 9 },
  ]);
});

test('message send', async () => {
  const ok = await h.corp('/cgi/message/send', {
    toUser: [ADMIN],
    msgType: 'text',
    text: { content: '同步失败' },
  });
  assert.equal(code(ok), 0);
  assert.equal(
    code(await h.corp('/cgi/message/send', { toUser: ['FSUID_X'], msgType: 'text', text: { content: 'x' } })),
    30027,
  );
  assert.equal(
    code(await h.corp('/cgi/message/send', { toUser: [ADMIN], msgType: 'image', text: { content: 'x' } })),
    10006,
  );
  const msgs = (await h.ctl(`/messages?corpId=${TEST_CORP}`, undefined, 'GET')).json.messages as Obj[];
  assert.equal(msgs.at(-1)?.msgId, ok.json.msgId);
  assert.equal(msgs.at(-1)?.content, '同步失败');
});

test('events: ui edit fires a signed event; triggerWorkFlow:false sends none', async () => {
  const got: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    assert.equal(
      (await h.ctl('/hooks', { corpId: TEST_CORP, url, secret: 's3', objects: ['SalesOrderProductObj'] }))
        .status,
      400,
    );
    await h.ctl('/hooks', { corpId: TEST_CORP, url, secret: 's3', objects: ['AccountObj'] });
    const quiet = await createOk(
      { dataObjectApiName: 'AccountObj', name: '静默' },
      {},
      { triggerWorkFlow: false },
    );
    const ui = await h.ctl('/ui/create', {
      corpId: TEST_CORP,
      objectApiName: 'AccountObj',
      object_data: { name: '界面客户' },
    });
    assert.equal(ui.json.errorCode, 0);
    const uid = String(ui.json.dataId);
    await h.ctl('/ui/update', {
      corpId: TEST_CORP,
      operatorId: USER,
      objectApiName: 'AccountObj',
      object_data: { _id: uid, tel: '1' },
    });
    const flushed = await h.ctl('/events/flush', {});
    assert.equal(flushed.json.pending, 0);
    assert.equal(got.length, 2);
    const [first, second] = got.map((g) => JSON.parse(g.body) as Obj);
    assert.deepEqual(Object.keys(first ?? {}), [
      'event',
      'objectApiName',
      'objectId',
      'tenant',
      'operatorId',
      'timestamp',
      'eventId',
    ]);
    assert.equal(first?.event, 'created');
    assert.equal(first?.objectId, uid);
    assert.equal(first?.operatorId, ADMIN);
    assert.equal(second?.event, 'updated');
    assert.equal(second?.operatorId, USER);
    assert.notEqual(first?.objectId, quiet);
    const g0 = got[0];
    assert.equal(g0?.headers['x-fx-timestamp'], String(first?.timestamp));
    assert.equal(
      g0?.headers['x-fx-signature'],
      hookSignature('s3', String(g0?.headers['x-fx-timestamp']), g0?.body ?? ''),
    );
    assert.equal((await get('AccountObj', uid)).last_modified_time, second?.timestamp);
    const deliveries = (await h.ctl(`/events?corpId=${TEST_CORP}`, undefined, 'GET')).json
      .deliveries as Obj[];
    assert.equal(deliveries.length, 2);
    assert.equal(deliveries[0]?.httpStatus, 204);
  } finally {
    await h.ctl('/hooks', { corpId: TEST_CORP, url: null });
    await new Promise<void>((r) => server.close(() => r()));
  }
});

test('approval flow: under_review is locked until a person passes it', async () => {
  await h.ctl('/tenant', { corpId: TEST_CORP, approvalObjects: ['AccountObj'] });
  const id = await createOk({ dataObjectApiName: 'AccountObj', name: '审批客户' });
  assert.equal((await get('AccountObj', id)).lock_status, '1');
  const upd = await h.crm(`${P}update`, {
    data: { object_data: { dataObjectApiName: 'AccountObj', _id: id, tel: '2' } },
  });
  assert.equal(code(upd), 32005);
  const free = await createOk(
    { dataObjectApiName: 'AccountObj', name: '免审客户' },
    {},
    { triggerApprovalFlow: false },
  );
  assert.equal((await get('AccountObj', free)).life_status, 'normal');
  assert.equal(
    (
      await h.ctl('/ui/approve', {
        corpId: TEST_CORP,
        objectApiName: 'AccountObj',
        objectId: id,
        result: 'pass',
      })
    ).json.errorCode,
    0,
  );
  const rec = await get('AccountObj', id);
  assert.deepEqual([rec.life_status, rec.lock_status], ['normal', '0']);
  await h.ctl('/tenant', { corpId: TEST_CORP, approvalObjects: [] });
});

test('seed demo applies and its tenants work', async () => {
  const sb = await startFxSandbox();
  try {
    const post = (p: string, b: unknown) =>
      fetch(sb.url + p, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(b),
      });
    const seeded = await post('/__sandbox/seed', demoSeed({ pluginUrl: 'http://127.0.0.1:3000' }));
    assert.equal(seeded.status, 200);
    const again = await post('/__sandbox/seed', demoSeed({ pluginUrl: 'http://127.0.0.1:3000' }));
    assert.equal(again.status, 400, 'tenants are not seeded twice');
    const recs = (await (
      await fetch(`${sb.url}/__sandbox/records?corpId=${FX_TENANTS.main.corpId}&objectApiName=ProductObj`)
    ).json()) as {
      records: Obj[];
    };
    assert.equal(recs.records.length, 1);
    assert.equal(recs.records[0]?.product_code, SHARED_PRODUCT_CODE);
    assert.equal(recs.records[0]?.product_status, '1');
    const accounts = (await (
      await fetch(`${sb.url}/__sandbox/records?corpId=${FX_TENANTS.main.corpId}&objectApiName=AccountObj`)
    ).json()) as {
      records: Obj[];
    };
    assert.ok(accounts.records.some((r) => r.name === '北京京客隆商业集团'));
    const t = await (
      await post('/__sandbox/tenant', { corpId: FX_TENANTS.main.corpId, metadataWritePermission: false })
    ).json();
    assert.equal((t as Obj).metadataWritePermission, false);
    assert.equal((t as Obj).entryUrl, 'http://127.0.0.1:3000/app/entry');
  } finally {
    await sb.close();
  }
});
