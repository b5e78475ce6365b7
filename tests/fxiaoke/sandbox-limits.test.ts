import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SandboxHarness } from '../../src/fxiaoke/sandbox/testing.js';

let h: SandboxHarness;
before(async () => {
  h = await SandboxHarness.start();
});
after(() => h.close());

test('the per-path limit can be scaled for benchmarks; reset brings back 100 per 20 s', async () => {
  await h.ctl('/clock', { frozen: true });
  try {
    const set = await h.ctl('/limits', { callsPer20s: 3, resetCounters: true });
    assert.equal(set.json.callsPer20s, 3);
    for (let i = 0; i < 3; i++) assert.equal((await h.corp('/cgi/department/list', {})).json.errorCode, 0);
    assert.equal((await h.corp('/cgi/department/list', {})).json.errorCode, 30004);
    assert.equal((await h.ctl('/limits', { callsPer20s: 0 })).status, 400);
    assert.equal((await h.ctl('/limits', { callsPer20s: 2.5 })).status, 400);
  } finally {
    await h.ctl('/reset');
  }
  assert.equal((await h.ctl('/limits', undefined, 'GET')).json.callsPer20s, 100);
});
