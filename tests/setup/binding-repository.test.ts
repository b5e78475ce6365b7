import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection } from 'mongoose';
import { asTenantId } from '../../src/db/base-repository.js';
import { connectDatabase } from '../../src/db/connection.js';
import { BindingRepository } from '../../src/dal/binding/binding.repository.js';
import { silentLogger } from '../../src/lib/logger.js';
import { freshDatabaseUri } from '../helpers/db.js';

let conn: Connection;
let repo: BindingRepository;
const A = asTenantId('t_a');
const B = asTenantId('t_b');
const now = new Date();
const emp = (id: string) => ({
  jdyEmpId: id,
  jdyNumber: `EMP${id}`,
  jdyName: `职员${id}`,
  jdyMobile: `1391111000${id}`,
});

before(async () => {
  conn = await connectDatabase(await freshDatabaseUri('bindings'), silentLogger);
  repo = new BindingRepository(conn);
  for (const id of ['1', '2', '3']) await repo.upsertEmployee(A, emp(id), now);
  await repo.upsertEmployee(B, emp('1'), now);
});
after(() => conn.close());

test('bindings are one-to-one: a CRM user bound elsewhere is a conflict naming the holder', async () => {
  assert.deepEqual(await repo.bind(A, '1', 'U1', '王建国', 'auto', now), { ok: true });
  const second = await repo.bind(A, '2', 'U1', '王建国', 'manual', now);
  assert.ok(!second.ok);
  assert.equal(second.conflict.jdyEmpId, '1');
  // The same CRM user in another tenant is another person's business.
  assert.deepEqual(await repo.bind(B, '1', 'U1', '王建国', 'auto', now), { ok: true });
});

test('rebinding an employee releases its previous CRM user; unbinding releases it too', async () => {
  assert.deepEqual(await repo.bind(A, '1', 'U2', '李秀英', 'manual', now), { ok: true });
  assert.deepEqual(await repo.bind(A, '2', 'U1', '王建国', 'manual', now), { ok: true });
  await repo.unbind(A, '2', now);
  assert.deepEqual(await repo.bind(A, '3', 'U1', '王建国', 'import', now), { ok: true });
  const { crmByErp, erpByCrm } = await repo.maps(A);
  assert.equal(crmByErp.get('1'), 'U2');
  assert.equal(crmByErp.get('3'), 'U1');
  assert.equal(erpByCrm.get('U1'), '3');
  assert.equal(crmByErp.has('2'), false);
  assert.equal(await repo.boundCount(A), 2);
});
