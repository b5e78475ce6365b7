import { isAxiosError } from 'axios';
import { systemClock, type Clock } from './clock.js';

/**
 * The one retry module. Callers say which failures are worth repeating (`decide`); this module only
 * owns the loop and the delays (exponential backoff with jitter, or the server's Retry-After).
 */
export interface RetryDecision {
  retry: boolean;
  /** Wait this long instead of the computed backoff (e.g. Retry-After). */
  delayMs?: number;
}

export interface RetryOptions {
  /** Total tries, the first one included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  decide: (error: unknown, attempt: number) => RetryDecision;
  clock?: Clock;
  random?: () => number;
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

/** base·2^(attempt-1), capped, with ±25 % jitter so that parallel workers spread out. */
export function backoffMs(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const raw = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(raw * (0.75 + random() * 0.5));
}

export async function withRetry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const clock = options.clock ?? systemClock;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= options.attempts) throw error;
      const decision = options.decide(error, attempt);
      if (!decision.retry) throw error;
      const delay =
        decision.delayMs ?? backoffMs(attempt, options.baseDelayMs, options.maxDelayMs, options.random);
      options.onRetry?.(error, attempt, delay);
      await clock.sleep(delay);
    }
  }
}

/** Retry-After is either delta-seconds or an HTTP date; answers ms to wait, or undefined. */
export function parseRetryAfter(value: unknown, nowMs: number = Date.now()): number | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const text = String(value).trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/**
 * The HTTP retry predicate: network errors (no response), timeouts, 429 and 5xx are worth repeating
 * — for reads. Writes must look the record up first, so callers of writes do not use this blindly.
 */
export function isRetryableHttpError(error: unknown): boolean {
  if (!isAxiosError(error)) return false;
  const status = error.response?.status;
  if (status === undefined) return true;
  return status === 429 || status >= 500;
}
