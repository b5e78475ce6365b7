import { systemClock, type Clock } from './clock.js';

export interface SlidingWindowOptions {
  /** Calls allowed per key in any window. */
  limit: number;
  windowMs: number;
  clock?: Clock;
}

interface KeyState {
  granted: number[];
  blockedUntil: number;
  tail: Promise<void>;
}

/**
 * Client-side rate limiting: at most `limit` calls per key in any sliding window of `windowMs`,
 * shared by every caller in the process. Callers queue in FIFO order per key, so a burst of
 * workers never turns into a storm of 429s. `blockUntil` honours a server's Retry-After for all.
 */
export class SlidingWindowLimiter {
  private readonly keys = new Map<string, KeyState>();
  private readonly clock: Clock;
  /** Total time callers spent waiting, for metrics. */
  waitedMs = 0;

  constructor(private readonly options: SlidingWindowOptions) {
    this.clock = options.clock ?? systemClock;
  }

  private state(key: string): KeyState {
    let s = this.keys.get(key);
    if (!s) {
      s = { granted: [], blockedUntil: 0, tail: Promise.resolve() };
      this.keys.set(key, s);
    }
    return s;
  }

  /** Resolves when the caller may make one call under `key`; the call is counted from then. */
  acquire(key: string): Promise<void> {
    const s = this.state(key);
    const turn = s.tail.then(() => this.waitForSlot(s));
    s.tail = turn.catch(() => undefined);
    return turn;
  }

  /** No call under `key` until `untilMs` (e.g. after a 429 with Retry-After). */
  blockUntil(key: string, untilMs: number): void {
    const s = this.state(key);
    s.blockedUntil = Math.max(s.blockedUntil, untilMs);
  }

  private async waitForSlot(s: KeyState): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      while (s.granted.length && s.granted[0]! <= now - this.options.windowMs) s.granted.shift();
      let waitUntil = s.blockedUntil > now ? s.blockedUntil : 0;
      if (!waitUntil && s.granted.length < this.options.limit) {
        s.granted.push(now);
        return;
      }
      if (!waitUntil) waitUntil = s.granted[0]! + this.options.windowMs + 1;
      const delay = Math.max(1, waitUntil - now);
      this.waitedMs += delay;
      await this.clock.sleep(delay);
    }
  }
}
