/** `changes(cursor)` of the Jingdouyun sync readers: windows, overlap, edges, deletions, resuming. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { msToDt } from '../../plugins/jingdouyun/client/index.js';
import { drainPages, readAll, startJdySyncFixture, type JdySyncFixture } from '../helpers/jdy-sync.js';

let fx: JdySyncFixture;
const cursors = new Map<string, string | null>();

before(async () => {
  fx = await startJdySyncFixture();
});
after(() => fx.close());

const TEN_MINUTES = 600_000;

test('a full first read, the overlap read again, then nothing new', async () => {
  const first = await readAll(fx.adapter.customers.changes(null));
  assert.equal(first.records.length, 20);
  assert.ok(first.cursor);

  // The seeded customers lie within two minutes before the first read's end: the next read
  // overlaps them (harmless: the host writes idempotently), the one after that does not.
  await fx.advance(TEN_MINUTES);
  const overlap = await readAll(fx.adapter.customers.changes(first.cursor));
  assert.equal(overlap.records.length, 20);
  await fx.advance(TEN_MINUTES);
  const again = await readAll(fx.adapter.customers.changes(overlap.cursor));
  assert.deepEqual(again.records, []);
  assert.deepEqual(again.deleted, []);
  assert.notEqual(again.cursor, overlap.cursor);
  cursors.set('customers', again.cursor);

  cursors.set('warehouses', (await readAll(fx.adapter.warehouses.changes(null))).cursor);
});

test('a record modified afterwards comes back in the next read, from the persisted cursor', async () => {
  const id = await fx.idOf('bd_customer', 'KH0003');
  await fx.client.customers.save({ id, addr: '杭州市西湖区文三路260号' });
  await fx.advance(10_000);
  const next = await readAll(fx.adapter.customers.changes(cursors.get('customers')!));
  assert.deepEqual(
    next.records.map((c) => [c.number, c.address]),
    [['KH0003', '杭州市西湖区文三路260号']],
  );
  // Read once more after the overlap has passed, so later reads start after this change.
  await fx.advance(TEN_MINUTES);
  const overlap = await readAll(fx.adapter.customers.changes(next.cursor));
  assert.deepEqual(
    overlap.records.map((c) => c.number),
    ['KH0003'],
  );
  cursors.set('customers', overlap.cursor);
});

test('a record modified exactly at the window end is read; one a second later waits for the next read', async () => {
  await fx.advance(TEN_MINUTES);
  const edge = Math.ceil(fx.clock.now() / 1000) * 1000 + 30_000;
  await fx.control('POST', '/__sandbox/seed', {
    records: [
      {
        account_id: '1580000000001',
        entity: 'bd_store',
        data: { number: 'WH-EDGE', name: '边界仓', modify_time: msToDt(edge) },
      },
      {
        account_id: '1580000000001',
        entity: 'bd_store',
        data: { number: 'WH-LATER', name: '后一秒仓', modify_time: msToDt(edge + 1000) },
      },
    ],
  });
  // The window end is now − 5 s: exactly the edge record's modify time.
  fx.clock.set(edge + 5000);
  const atEdge = await readAll(fx.adapter.warehouses.changes(cursors.get('warehouses')!));
  assert.deepEqual(
    atEdge.records.map((w) => w.number),
    ['WH-EDGE'],
  );

  fx.clock.set(edge + 15_000);
  const after = await readAll(fx.adapter.warehouses.changes(atEdge.cursor));
  assert.deepEqual(after.records.map((w) => w.number).sort(), ['WH-EDGE', 'WH-LATER']);
  await fx.advance(TEN_MINUTES);
});

test('deletions come back in `deleted`; without a deletion log (404) the records still come', async () => {
  const created = await fx.adapter.customers.create({
    number: 'CRM-DEL-0001',
    name: '待删除客户',
    categoryId: null,
    salespersonId: null,
    address: '',
    contact: { name: '待删除客户', mobile: '13700000009', email: '' },
    remark: '',
  });
  await fx.advance(10_000);
  const seen = await readAll(fx.adapter.customers.changes(cursors.get('customers')!));
  assert.deepEqual(
    seen.records.map((c) => c.id),
    [created.id],
  );

  await fx.client.delete('bd_customer', { ids: [created.id] });
  const kh5 = await fx.idOf('bd_customer', 'KH0005');
  await fx.client.customers.save({ id: kh5, remark: '删除之后修改' });
  await fx.advance(10_000);
  const gone = await readAll(fx.adapter.customers.changes(seen.cursor));
  assert.deepEqual(gone.deleted, [{ id: created.id, number: 'CRM-DEL-0001' }]);
  assert.deepEqual(
    gone.records.map((c) => c.number),
    ['KH0005'],
  );

  await fx.control('POST', '/__sandbox/faults', {
    path: '/jdy/v2/sys/deleted_log',
    mode: 'http',
    http_status: 404,
    errcode: 404,
    description: 'API不存在',
  });
  const withoutLog = await readAll(fx.adapter.customers.changes(seen.cursor));
  assert.deepEqual(withoutLog.deleted, []);
  assert.deepEqual(
    withoutLog.records.map((c) => c.number),
    ['KH0005'],
  );
});

test('payments resume from a persisted cursor: receipts read stay read, pre-receipts follow', async () => {
  const pages = fx.adapter.payments.changes(null)[Symbol.asyncIterator]();
  const first = await pages.next();
  assert.ok(!first.done);
  assert.deepEqual(
    first.value.records.map((p) => p.number),
    ['SKD-20250315-00001'],
  );
  await pages.return?.(undefined);

  const rest = await readAll(fx.adapter.payments.changes(first.value.cursor));
  assert.deepEqual(
    rest.records.map((p) => p.number),
    ['YSKD-20250311-00001'],
  );
  cursors.set('payments', rest.cursor);
});

test('un-auditing a synced receipt brings it back with audited false', async () => {
  await fx.advance(TEN_MINUTES);
  await fx.client.operate('ar_creditbill', 'unaudit', { numbers: ['SKD-20250315-00001'] });
  await fx.advance(10_000);
  const pages = await drainPages(fx.adapter.payments.changes(cursors.get('payments')!));
  const records = pages.flatMap((p) => p.records);
  assert.equal(records.length, 1);
  assert.equal(records[0]!.number, 'SKD-20250315-00001');
  assert.equal(records[0]!.audited, false);
  assert.equal(records[0]!.lines.length, 2);
});
