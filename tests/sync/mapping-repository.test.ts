import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection } from 'mongoose';
import { connectDatabase } from '../../src/db/connection.js';
import { asTenantId } from '../../src/db/base-repository.js';
import { MappingRepository } from '../../src/dal/mapping/mapping.repository.js';
import { silentLogger } from '../../src/lib/logger.js';
import { freshDatabaseUri } from '../helpers/db.js';

let conn: Connection;
let mappings: MappingRepository;
const A = asTenantId('t_a');
const B = asTenantId('t_b');
const now = new Date('2026-12-01T00:00:00Z');

before(async () => {
  conn = await connectDatabase(await freshDatabaseUri('mappings'), silentLogger);
  mappings = new MappingRepository(conn);
  await Promise.all(Object.values(conn.models).map((m) => m.init()));
});
after(() => conn.close());

test('a link is found from both sides, in pages, and only by its tenant', async () => {
  assert.equal((await mappings.link(A, 'customer', 'E1', 'C1', 'CUST1', now)).ok, true);
  assert.equal((await mappings.link(A, 'customer', 'E2', 'C2', 'CUST2', now)).ok, true);
  assert.equal((await mappings.byCrmId(A, 'customer', 'C1'))?.erpId, 'E1');
  assert.equal((await mappings.byErpId(A, 'customer', 'E2'))?.crmId, 'C2');
  const page = await mappings.byCrmIds(A, 'customer', ['C1', 'C2', 'C3']);
  assert.deepEqual(
    [...page.entries()].map(([crm, m]) => [crm, m.erpId]),
    [
      ['C1', 'E1'],
      ['C2', 'E2'],
    ],
  );
  assert.equal(await mappings.byCrmId(B, 'customer', 'C1'), null);
  assert.equal(await mappings.byCrmId(A, 'product', 'C1'), null, 'objects are separate');
});

test('linking the same pair twice is fine; a contradicting link is refused from either side', async () => {
  assert.equal((await mappings.link(A, 'customer', 'E1', 'C1', 'CUST1', now)).ok, true);
  const crmTaken = await mappings.link(A, 'customer', 'E9', 'C1', 'CUST9', now);
  assert.equal(crmTaken.ok, false);
  assert.equal(!crmTaken.ok && crmTaken.conflict?.erpId, 'E1');
  const erpTaken = await mappings.link(A, 'customer', 'E1', 'C9', 'CUST1', now);
  assert.equal(!erpTaken.ok && erpTaken.conflict?.crmId, 'C1');
  // The refused links left nothing that reads as linked.
  assert.equal((await mappings.byCrmId(A, 'customer', 'C1'))?.erpId, 'E1');
  assert.equal(await mappings.byCrmId(A, 'customer', 'C9'), null);
  assert.equal(await mappings.byErpId(A, 'customer', 'E9'), null);
});

test('a CRM key without its mapping (a crash between the two writes) reads as not linked, then heals', async () => {
  await conn
    .db!.collection('mapping_crm_keys')
    .insertOne({ _id: `${A}:salesOrder:C5`, tenantId: A, erpId: 'E5' } as never);
  assert.equal(await mappings.byCrmId(A, 'salesOrder', 'C5'), null);
  assert.equal((await mappings.link(A, 'salesOrder', 'E6', 'C5', 'SO6', now)).ok, true);
  assert.equal((await mappings.byCrmId(A, 'salesOrder', 'C5'))?.erpId, 'E6');
});

test('forget removes both sides; the CRM record can then be linked to another ERP record', async () => {
  assert.equal(await mappings.forget(A, 'customer', 'E2'), true);
  assert.equal(await mappings.byCrmId(A, 'customer', 'C2'), null);
  assert.equal(await mappings.forget(A, 'customer', 'E2'), false);
  assert.equal((await mappings.link(A, 'customer', 'E7', 'C2', 'CUST7', now)).ok, true);
  assert.equal((await mappings.byCrmId(A, 'customer', 'C2'))?.erpId, 'E7');
  await mappings.removeAll(A);
  assert.equal(await mappings.byCrmId(A, 'customer', 'C1'), null);
  assert.equal(await conn.db!.collection('mapping_crm_keys').countDocuments({ tenantId: A }), 0);
});

test('a mapping found by CRM id is remembered by the process; another process reads the database', async () => {
  assert.equal((await mappings.link(A, 'product', 'E8', 'C8', 'P8', now)).ok, true);
  assert.equal((await mappings.byCrmId(A, 'product', 'C8'))?.erpId, 'E8');
  // Removed behind this repository's back (as another process forgetting it would).
  await conn.db!.collection('mapping_crm_keys').deleteOne({ _id: `${A}:product:C8` } as never);
  assert.equal((await mappings.byCrmId(A, 'product', 'C8'))?.erpId, 'E8', 'answered from memory');
  assert.equal(await new MappingRepository(conn).byCrmId(A, 'product', 'C8'), null);
  assert.equal(await mappings.byCrmId(B, 'product', 'C8'), null, 'remembered per tenant');
});
