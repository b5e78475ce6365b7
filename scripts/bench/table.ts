/** The one table `npm run bench` prints (the same figures go to bench/results/<time>.json). */
import type { ImportFigures } from './import.js';
import type { Percentiles, SteadyFigures } from './steady.js';

export interface BenchResult {
  date: string;
  commit: string;
  machine: { cpus: number; model: string; memoryGb: number; node: string };
  factor: number;
  /** JDY records created "now" (burst) or spread over the past year (history). */
  dataShape: 'burst' | 'history';
  /** Added to every sandbox call. */
  latencyMs: number;
  database: string;
  limits: {
    jdyPerMinute: number;
    crmPer20sPerPath: number;
    pluginJdyPerMinute: number;
    pluginCrmPer20s: number;
  };
  ceiling: { perMin: number; formula: string };
  imports: ImportFigures[];
  steady: SteadyFigures | null;
  /** Scenarios that failed, with their error. */
  errors: string[];
}

const n = (v: number, digits = 0) =>
  Number.isFinite(v)
    ? v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : '–';
/** Latency percentiles; an order never synced within the drain limit reads "not synced". */
const pct = (p: Percentiles) =>
  [p.p50, p.p95, p.p99].map((v) => (v === Infinity || v === null ? 'not synced' : n(v))).join(' / ');

function grid(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows
    .map((r) =>
      r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '),
    )
    .join('\n');
}

export function printTable(r: BenchResult): void {
  const out: string[] = [];
  out.push(
    `Benchmark ${r.date} · commit ${r.commit} · ${r.machine.cpus} CPUs (${r.machine.model}), ${r.machine.memoryGb} GB · Node ${r.machine.node}`,
  );
  out.push(
    `Rate limits = contract × ${r.factor}: JDY ${n(r.limits.jdyPerMinute)} calls/min per account set (plugin budget ${n(r.limits.pluginJdyPerMinute)}), ` +
      `CRM ${n(r.limits.crmPer20sPerPath)} calls/20 s per path (plugin budget ${n(r.limits.pluginCrmPer20s)})`,
  );
  out.push(`Import ceiling = ${r.ceiling.formula} = ${n(r.ceiling.perMin)} records/min`);
  out.push(
    `JDY data: ${r.dataShape === 'burst' ? 'all records created at seeding time' : 'records created over the past year'}; ` +
      `sandbox latency ${r.latencyMs ? `+${r.latencyMs} ms per call` : 'as is (loopback, about 1 ms)'}; database: ${r.database}`,
  );
  if (r.imports.length) {
    const cols = r.imports;
    const row = (label: string, f: (i: ImportFigures) => string) => [label, ...cols.map(f)];
    out.push('');
    out.push(
      grid([
        ['First import', ...cols.map((i) => `${i.importer} ${i.scenario}`)],
        row('products + customers', (i) => `${n(i.products)} + ${n(i.customers)}`),
        row('records written (failed)', (i) => `${n(i.records)} (${i.failed})`),
        row('finished', (i) => (i.finished ? 'yes' : 'no: budget spent')),
        row('time, s', (i) => n(i.seconds, 1)),
        row('records/min', (i) => n(i.recordsPerMin)),
        row('  first → last quarter', (i) =>
          i.trend ? `${n(i.trend.firstQuarter)} → ${n(i.trend.lastQuarter)}` : '–',
        ),
        row('ceiling records/min', (i) => n(i.ceilingPerMin)),
        row('ratio (goal ≥ 0.9)', (i) => n(i.ratio, 2)),
        row('429 JDY / 30004 CRM', (i) => `${i.calls.jdy429} / ${i.calls.crm30004}`),
        row(
          'calls per record JDY / CRM',
          (i) => `${n(i.calls.jdyCalls / i.records, 2)} / ${n(i.calls.crmCalls / i.records, 2)}`,
        ),
        row('waiting for limit JDY / CRM, s', (i) => `${n(i.jdyWaitS)} / ${n(i.crmWaitS)}`),
        row('peak RSS, MB (process max)', (i) => `${i.rssPeakMb} (${i.maxRssMb})`),
        row('live heap after GC at end, MB', (i) => String(i.heapAfterGcMb)),
        row('CPU ms per record', (i) => n(i.cpuMsPerRecord, 2)),
        row('load average at end', (i) => n(i.loadAvg[0] ?? NaN, 1)),
      ]),
    );
  }
  const s = r.steady;
  if (s) {
    out.push('');
    out.push(
      grid([
        [`Steady state: ${s.ratePerSecond} CRM orders/s for ${s.seconds} s`, 'value'],
        [
          'warm-up: first deals of the customers used',
          `${n(s.warmUpOrders)} orders, in JDY with their customers after ${n(s.warmUpSeconds, 1)} s`,
        ],
        ['orders created / synced to JDY', `${n(s.ordersCreated)} / ${n(s.ordersSynced)}`],
        ['synced per second while arriving', n(s.syncedPerSecondDuringLoad, 1)],
        ['last order synced after, s', `${n(s.drainSeconds, 1)} (waited up to ${s.seconds + s.drainLimitS})`],
        [
          '同步状态 已同步 on every order, s after the last',
          s.statusShownAfterS === null ? 'not within the drain limit' : n(s.statusShownAfterS, 1),
        ],
        ['latency p50 / p95 / p99, ms', pct(s.latencyMs)],
        ['  without JDY rate-limit wait, ms', pct(s.latencyWithoutJdyWaitMs)],
        ['  of which the CRM delivering the event, ms', pct(s.eventDeliveryMs)],
        ['own time: event received → in JDY, ms', pct(s.ownTimeMs)],
        ['  its p95 per 10 s of the minute, ms', s.p95ByTenSecondsMs.map((v) => n(v)).join(' / ')],
        ['JDY rate-limit wait (total), s', n(s.jdyRateLimitWaitS, 1)],
        ['429 JDY / 30004 CRM', `${s.calls.jdy429} / ${s.calls.crm30004}`],
        [
          'calls per order JDY / CRM',
          `${n(s.calls.jdyCalls / Math.max(1, s.ordersSynced), 2)} / ${n(s.calls.crmCalls / Math.max(1, s.ordersSynced), 2)}`,
        ],
        ['CPU ms per order', n(s.cpuMsPerOrder, 1)],
        ['peak RSS, MB', String(s.rssPeakMb)],
      ]),
    );
  }
  for (const i of r.imports)
    for (const f of i.notSynced)
      out.push(`${i.importer} ${i.scenario}: ${f.object} ${f.key} left ${f.status} — ${f.reason ?? ''}`);
  for (const e of r.errors) out.push(`\nFailed: ${e}`);
  console.log(out.join('\n'));
}
