/**
 * Measures the process it is imported into (the plugin or the naive importer): CPU time, peak RSS
 * (kernel figure and a 100 ms sample since the last mark) and time spent waiting for the JDY and
 * CRM client rate limiters. The limiters are timed by wrapping SlidingWindowLimiter.acquire — the
 * wrapper only reads the clock, so the code under test runs unchanged.
 */
import { SlidingWindowLimiter } from '../../src/lib/rate-limit.js';
import type { ChildMessage, ProcessUsage, WaitInterval } from './protocol.js';

const waited = { jdy: 0, crm: 0 };
let jdyWaits: WaitInterval[] = [];

// The CRM limiter keys are "<corpId>|<path>", the JDY ones the account set id.
const acquire = SlidingWindowLimiter.prototype.acquire;
SlidingWindowLimiter.prototype.acquire = async function timedAcquire(
  this: SlidingWindowLimiter,
  key: string,
) {
  const start = Date.now();
  await acquire.call(this, key);
  const end = Date.now();
  if (end - start < 1) return;
  const system = key.includes('|') ? 'crm' : 'jdy';
  waited[system] += end - start;
  if (system === 'jdy') jdyWaits.push([start, end]);
};

let rssPeak = process.memoryUsage().rss;
const sampler = setInterval(() => {
  rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
}, 100);
sampler.unref();

/** The figures now; starts a new "since mark" period. */
export function mark(): ProcessUsage {
  // A full collection first (the child runs with --expose-gc): heapUsed is then the live heap.
  (globalThis as { gc?: () => void }).gc?.();
  const r = process.resourceUsage();
  const mem = process.memoryUsage();
  const out: ProcessUsage = {
    cpuUserMs: r.userCPUTime / 1000,
    cpuSystemMs: r.systemCPUTime / 1000,
    maxRssBytes: r.maxRSS * 1024,
    rssPeakSinceMarkBytes: Math.max(rssPeak, mem.rss),
    rssNowBytes: mem.rss,
    heapUsedBytes: mem.heapUsed,
    jdyWaitMs: waited.jdy,
    crmWaitMs: waited.crm,
    jdyWaits,
  };
  rssPeak = mem.rss;
  jdyWaits = [];
  return out;
}

export const send = (message: ChildMessage): void => {
  process.send?.(message);
};
