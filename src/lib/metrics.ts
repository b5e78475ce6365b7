import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The plugin's Prometheus metrics, one registry per app instance (tests run several). */
export class Metrics {
  readonly registry = new Registry();
  readonly httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests served',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration',
    labelNames: ['method', 'route'] as const,
    buckets: [0.01, 0.05, 0.1, 0.3, 1, 3, 10],
    registers: [this.registry],
  });
  readonly syncRecords = new Counter({
    name: 'sync_records_total',
    help: 'Source records processed by the sync engine, by outcome',
    labelNames: ['object', 'direction', 'status'] as const,
    registers: [this.registry],
  });
  readonly outsideCalls = new Counter({
    name: 'outside_api_calls_total',
    help: 'Calls to Jingdouyun and the CRM, by answer code',
    labelNames: ['system', 'path', 'code'] as const,
    registers: [this.registry],
  });
  readonly rateLimitWaitSeconds = new Counter({
    name: 'rate_limit_wait_seconds_total',
    help: 'Time spent waiting for client-side rate limits',
    labelNames: ['system'] as const,
    registers: [this.registry],
  });
  readonly queueDepth = new Gauge({
    name: 'sync_queue_depth',
    help: 'Pending change events waiting to be synced',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
