import type { TenantId } from '../db/base-repository.js';

/**
 * Queues a tenant's job shortly after work arrives for it; arrivals in between share one queueing
 * (queueing is a database write — one per change event would cost as much as storing the event).
 * The job drains everything pending when it runs, and a sweep re-queues a tenant whose job got
 * lost (a crash before the timer fired), so nothing depends on the timer alone.
 */
export class TenantKicker {
  private readonly waiting = new Map<TenantId, NodeJS.Timeout>();

  constructor(
    private readonly queue: (tenantId: TenantId) => Promise<void>,
    private readonly onError: (tenantId: TenantId, error: unknown) => void,
    private readonly delayMs = 100,
  ) {}

  kick(tenantId: TenantId): void {
    if (this.waiting.has(tenantId)) return;
    const timer = setTimeout(() => {
      this.waiting.delete(tenantId);
      this.queue(tenantId).catch((error: unknown) => this.onError(tenantId, error));
    }, this.delayMs);
    timer.unref();
    this.waiting.set(tenantId, timer);
  }
}
