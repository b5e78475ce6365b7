import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../src/lib/clock.js';
import { SlidingWindowLimiter } from '../../src/lib/rate-limit.js';

test('never grants more than the limit in any sliding window', async () => {
  const clock = new ManualClock(0);
  const limiter = new SlidingWindowLimiter({ limit: 5, windowMs: 1000, clock });
  const times: number[] = [];
  for (let i = 0; i < 23; i++) {
    await limiter.acquire('a');
    times.push(clock.now());
    clock.advance(10);
  }
  for (const t of times) {
    const inWindow = times.filter((x) => x > t - 1000 && x <= t).length;
    assert.ok(inWindow <= 5, `window ending ${t} holds ${inWindow}`);
  }
  // It also uses the budget: 23 calls at 5 per second need a little over 4 seconds, not much more.
  assert.ok(times.at(-1)! < 4 * 1000 + 300, `last grant at ${times.at(-1)}`);
});

test('keys are independent and blockUntil holds every caller of a key', async () => {
  const clock = new ManualClock(0);
  const limiter = new SlidingWindowLimiter({ limit: 1, windowMs: 100, clock });
  limiter.blockUntil('a', 5000);
  await limiter.acquire('b');
  assert.equal(clock.now(), 0);
  await limiter.acquire('a');
  assert.ok(clock.now() >= 5000);
});
