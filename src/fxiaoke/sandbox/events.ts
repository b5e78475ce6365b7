/** Change events (§9): a queue per tenant, one delivery at a time, in order, 5 s timeout, no retry. */
import { randomUUID } from 'node:crypto';
import { hookSignature } from '../crypto.js';
import type { PendingEvent } from './data-api.js';
import type { SandboxState, Tenant } from './state.js';

export interface Delivery {
  seq: number;
  corpId: string;
  eventId: string;
  at: number;
  url: string;
  body: string;
  headers: Record<string, string>;
  httpStatus: number | null;
  error: string | null;
  elapsedMs: number;
}

interface Queued {
  url: string;
  secret: string;
  body: string;
  eventId: string;
  timestamp: number;
}

export class EventBus {
  deliveries: Delivery[] = [];
  private seq = 0;
  private queues = new Map<string, Queued[]>();
  private running = new Set<string>();
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly st: SandboxState) {}

  reset(): void {
    this.deliveries = [];
    this.queues = new Map();
  }

  pending(): number {
    let n = this.running.size;
    for (const q of this.queues.values()) n += q.length;
    return n;
  }

  /** Queues a committed change's events; only objects listed on the tenant's hook are sent. */
  enqueue(tenant: Tenant, events: PendingEvent[]): void {
    const hook = tenant.hook;
    if (!hook || events.length === 0) return;
    let q = this.queues.get(tenant.corpId);
    if (!q) this.queues.set(tenant.corpId, (q = []));
    for (const e of events) {
      if (!hook.objects.includes(e.objectApiName)) continue;
      const eventId = randomUUID();
      const body = JSON.stringify({
        event: e.event,
        objectApiName: e.objectApiName,
        objectId: e.objectId,
        tenant: tenant.corpId,
        operatorId: e.operatorId,
        timestamp: e.timestamp,
        eventId,
      });
      q.push({ url: hook.url, secret: hook.secret, body, eventId, timestamp: e.timestamp });
    }
    void this.pump(tenant.corpId);
  }

  private async pump(corpId: string): Promise<void> {
    if (this.running.has(corpId)) return;
    this.running.add(corpId);
    try {
      for (;;) {
        const q = this.queues.get(corpId);
        const next = q?.shift();
        if (!next) break;
        await this.send(corpId, next);
      }
    } finally {
      this.running.delete(corpId);
      if (this.pending() === 0) for (const w of this.idleWaiters.splice(0)) w();
    }
  }

  private async send(corpId: string, e: Queued): Promise<void> {
    const ts = String(e.timestamp);
    const headers = {
      'Content-Type': 'application/json',
      'x-fx-timestamp': ts,
      'x-fx-signature': hookSignature(e.secret, ts, e.body),
    };
    const at = this.st.now();
    const started = Date.now();
    let httpStatus: number | null = null;
    let error: string | null = null;
    try {
      const res = await fetch(e.url, {
        method: 'POST',
        headers,
        body: e.body,
        signal: AbortSignal.timeout(5000),
      });
      httpStatus = res.status;
      await res.arrayBuffer();
      if (res.status < 200 || res.status > 299) error = `HTTP ${res.status}`;
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    }
    this.seq += 1;
    this.deliveries.push({
      seq: this.seq,
      corpId,
      eventId: e.eventId,
      at,
      url: e.url,
      body: e.body,
      headers,
      httpStatus,
      error,
      elapsedMs: Date.now() - started,
    });
  }

  /** Resolves when nothing is queued or in flight, or after `maxMs`. */
  async flush(maxMs = 30_000): Promise<{ pending: number; delivered: number }> {
    const before = this.deliveries.length;
    if (this.pending() > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, maxMs);
        this.idleWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return { pending: this.pending(), delivered: this.deliveries.length - before };
  }
}
