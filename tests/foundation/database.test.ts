import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Schema, type Connection } from 'mongoose';
import { connectDatabase } from '../../src/db/connection.js';
import {
  asTenantId,
  isDuplicateKeyError,
  TenantScopedRepository,
  type TenantScoped,
} from '../../src/db/base-repository.js';
import { fromStoredPayload, toStoredPayload } from '../../src/db/payload.js';
import { silentLogger } from '../../src/lib/logger.js';
import { freshDatabaseUri } from '../helpers/db.js';

interface Item extends TenantScoped {
  object: string;
  sourceId: string;
  payload: string;
  n: number;
}

const schema = new Schema<Item>(
  {
    _id: String,
    tenantId: { type: String, required: true },
    object: String,
    sourceId: String,
    payload: String,
    n: Number,
  },
  { versionKey: false },
);
// The query this serves in real aggregates: one mapping per (tenant, object, source id).
schema.index({ tenantId: 1, object: 1, sourceId: 1 }, { unique: true });

let conn: Connection;
let repo: TenantScopedRepository<Item>;
const A = asTenantId('t_a');
const B = asTenantId('t_b');

before(async () => {
  conn = await connectDatabase(await freshDatabaseUri('database'), silentLogger);
  const model = conn.model<Item>('Item', schema);
  await model.init();
  repo = new TenantScopedRepository(model);
});
after(() => conn.close());

test('a compound unique index rejects a duplicate', async () => {
  assert.equal(
    await repo.insertIfAbsent(A, { _id: 'x1', object: 'product', sourceId: '1', payload: '', n: 0 }),
    true,
  );
  await assert.rejects(
    conn
      .model('Item')
      .collection.insertOne({ _id: 'x2', tenantId: A, object: 'product', sourceId: '1' } as never),
    (e: unknown) => isDuplicateKeyError(e),
  );
  // The same natural _id twice is not an error for the caller, just "already there".
  assert.equal(
    await repo.insertIfAbsent(A, { _id: 'x1', object: 'product', sourceId: '1', payload: '', n: 0 }),
    false,
  );
});

test('10 000 upserts run twice leave 10 000 documents; a change is written once', async () => {
  const docs = Array.from({ length: 10_000 }, (_, i) => ({
    _id: `${B}:customer:${i}`,
    object: 'customer',
    sourceId: String(i),
    payload: toStoredPayload({ i }),
    n: i,
  }));
  for (let round = 0; round < 2; round++) {
    for (let i = 0; i < docs.length; i += 1000) await repo.bulkUpsert(B, docs.slice(i, i + 1000));
  }
  assert.equal(await repo.count(B, { object: 'customer' }), 10_000);
  const changed = await repo.bulkUpsert(B, [{ ...docs[5]!, n: -5 }, docs[6]!]);
  assert.deepEqual(changed, { inserted: 0, updated: 1, unchanged: 1 });
  assert.equal((await repo.findById(B, `${B}:customer:5`))?.n, -5);
  assert.equal(await repo.count(B, { object: 'customer' }), 10_000);
});

test('an upsert given the documents its caller read skips the read; one written meanwhile gets the batch version', async () => {
  const doc = (i: number, n: number) => ({
    _id: `${B}:known:${i}`,
    object: 'known',
    sourceId: String(i),
    payload: '',
    n,
  });
  await repo.bulkUpsert(B, [doc(1, 1)]);
  const known = await repo.findByIds(B, [`${B}:known:1`]);
  // Read as new by the caller (absent from `known`), written by someone else before the batch.
  await repo.bulkUpsert(B, [doc(2, 0)]);
  const result = await repo.bulkUpsert(B, [doc(1, 1), doc(2, 2), doc(3, 3)], known);
  assert.deepEqual(result, { inserted: 1, updated: 1, unchanged: 1 });
  assert.equal((await repo.findById(B, `${B}:known:2`))?.n, 2);
  assert.equal((await repo.findById(B, `${B}:known:3`))?.n, 3);
});

test('queries never cross tenants', async () => {
  assert.equal(await repo.findById(A, `${B}:customer:5`), null);
  assert.equal(await repo.count(A, { object: 'customer' }), 0);
});

test('a payload with nested arrays and dotted/dollar keys is stored as text and read back equal', async () => {
  const payload = {
    'a.b': [
      [1, 2],
      [3, [4]],
    ],
    $set: { 'x.y': true },
    rows: [{ 'k.v': null }],
  };
  await repo.insertIfAbsent(A, {
    _id: 'p1',
    object: 'raw',
    sourceId: 'p1',
    payload: toStoredPayload(payload),
    n: 0,
  });
  const back = await repo.findById(A, 'p1');
  assert.deepEqual(fromStoredPayload(back?.payload), payload);
});

test('a lookup by _id alone uses the _id index; the repository reads by id that way', async () => {
  // On MongoDB the plan shape differs; this proves the embedded FerretDB build (src/db/ferretdb.ts).
  if (process.env.MONGODB_URI) return;
  const plan = async (filter: Record<string, unknown>): Promise<string> => {
    const res = await conn.db!.command({ explain: { find: 'items', filter } });
    return JSON.stringify(res.queryPlanner);
  };
  assert.match(await plan({ _id: 'x1' }), /SEARCH \S+ USING INDEX \S+__id_/);
  // Anything more than `_id` is decoded document by document: why findById filters on `_id` only.
  assert.match(await plan({ _id: 'x1', tenantId: A }), /SCAN/);
  await repo.insertIfAbsent(B, { _id: 'b-only', object: 'product', sourceId: 'b', payload: '', n: 0 });
  assert.equal(await repo.findById(A, 'b-only'), null, 'another tenant’s document is not returned');
  assert.equal((await repo.findById(B, 'b-only'))?.sourceId, 'b');
  const found = await repo.findByIds(A, ['x1', 'b-only', 'missing']);
  assert.deepEqual([...found.keys()], ['x1']);
});
