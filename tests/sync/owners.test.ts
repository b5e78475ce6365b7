import { test } from 'node:test';
import assert from 'node:assert/strict';
import { owners } from '../../src/sync/owners.js';

test('owners follow bindings both ways, with the default owner and a warning when unbound', () => {
  const o = owners({ crmByErp: new Map([['e1', 'U1']]), erpByCrm: new Map([['U1', 'e1']]) }, 'ADMIN');
  assert.deepEqual(o.crmOwnerOf('e1'), { ownerId: 'U1', warning: null });
  const unbound = o.crmOwnerOf('e9');
  assert.equal(unbound.ownerId, 'ADMIN');
  assert.match(unbound.warning ?? '', /默认负责人/);
  assert.equal(o.crmOwnerOf(null).ownerId, 'ADMIN');
  assert.deepEqual(o.erpEmployeeOf('U1'), { empId: 'e1', warning: null });
  assert.equal(o.erpEmployeeOf('U7').empId, null);
});
