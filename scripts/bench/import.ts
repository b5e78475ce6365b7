/**
 * The first import, measured: JDY products and customers (with the categories and units they
 * need) into the CRM, by the plugin (a 立即同步 run through its API) or by the naive importer.
 */
import os from 'node:os';
import { CallLogs, type CallSummary } from './calls.js';
import { MeasuredChild } from './child.js';
import { LIMITS, type BenchStack } from './stack.js';
import type { ProcessUsage } from './protocol.js';

/** What a first import syncs: products and customers, and the reference data they depend on. */
export const IMPORT_OBJECTS = ['customerCategory', 'productCategory', 'unit', 'product', 'customer'] as const;
/** Contract page size of JDY lists (jingdouyun-api §4.1). */
const JDY_PAGE_SIZE = 100;

export interface ImportFigures {
  scenario: string;
  importer: 'plugin' | 'naive';
  products: number;
  customers: number;
  /** False when the time budget ran out first: the figures are for the part done. */
  finished: boolean;
  /** Records written to the CRM (created or updated), reference data included. */
  records: number;
  failed: number;
  /** The plugin's records left failed or pending, with their reasons (the first 10). */
  notSynced: Array<{ object: string; key: string; status: string; reason: string | null }>;
  seconds: number;
  recordsPerMin: number;
  /** Records/min in the first and in the last quarter of the time (null: not sampled). */
  trend: { firstQuarter: number; lastQuarter: number } | null;
  ceilingPerMin: number;
  ratio: number;
  calls: CallSummary;
  cpuMs: number;
  cpuMsPerRecord: number;
  /** Highest RSS sampled during the import; the kernel's peak for the whole process. */
  rssPeakMb: number;
  maxRssMb: number;
  /** Live heap after a full collection at the end of the import. */
  heapAfterGcMb: number;
  jdyWaitS: number;
  crmWaitS: number;
  loadAvg: number[];
}

/**
 * The best records/min the limits in force allow. Each record needs at least one CRM create (the
 * CRM has no batch create; products and customers share the path /cgi/crm/v2/data/create, whose
 * budget is crmPer20s calls per 20 s) and one JDY detail read plus 1/100 of a list page (list
 * rows carry only id, number, name and enable; JDY allows jdyPerMinute calls per minute per
 * account set). The business-key lookups (one CRM query per 100 records) use another path with
 * its own budget, so they do not lower the bound. Both limits scaled by the factor:
 *   ceiling = min(3 × crmPer20s × f ÷ 1, jdyPerMinute × f ÷ (1 + 1/100)).
 */
export function importCeiling(factor: number): { perMin: number; formula: string } {
  const crm = 3 * LIMITS.crmPer20s * factor;
  const jdy = (LIMITS.jdyPerMinute * factor) / (1 + 1 / JDY_PAGE_SIZE);
  return {
    perMin: Math.min(crm, jdy),
    formula:
      `min(CRM create path ${LIMITS.crmPer20s}×${factor}/20 s = ${crm}/min ÷ 1 call per record, ` +
      `JDY ${LIMITS.jdyPerMinute}×${factor}/min ÷ 1.01 calls per record = ${Math.round(jdy)}/min)`,
  };
}

const mb = (bytes: number) => Math.round(bytes / 1048576);

/** Records/min between two points of the run's (elapsed ms, records seen) samples. */
function trendOf(samples: ReadonlyArray<[number, number]>): ImportFigures['trend'] {
  const end = samples.at(-1)?.[0] ?? 0;
  const at = (ms: number) => samples.findLast(([t]) => t <= ms) ?? [0, 0];
  const rate = (from: number, to: number) => {
    const [[t0, n0], [t1, n1]] = [at(from), at(to)];
    return t1 > t0 ? ((n1 - n0) / (t1 - t0)) * 60_000 : NaN;
  };
  return samples.length < 8
    ? null
    : { firstQuarter: rate(0, end / 4), lastQuarter: rate((3 * end) / 4, end) };
}

/** What an importer measured itself; the rest of the figures follow from it. */
type Measured = Pick<ImportFigures, 'finished' | 'records' | 'failed' | 'notSynced' | 'seconds' | 'trend'>;

function figures(
  stack: BenchStack,
  scenario: string,
  importer: ImportFigures['importer'],
  measured: Measured,
  calls: CallSummary,
  [before, after]: [ProcessUsage, ProcessUsage],
): ImportFigures {
  const recordsPerMin = (measured.records / measured.seconds) * 60;
  const ceilingPerMin = importCeiling(stack.options.factor).perMin;
  const cpuMs = after.cpuUserMs + after.cpuSystemMs - before.cpuUserMs - before.cpuSystemMs;
  return {
    scenario,
    importer,
    products: stack.options.products,
    customers: stack.options.customers,
    ...measured,
    recordsPerMin,
    ceilingPerMin,
    ratio: recordsPerMin / ceilingPerMin,
    calls,
    cpuMs,
    cpuMsPerRecord: cpuMs / Math.max(1, measured.records),
    rssPeakMb: mb(after.rssPeakSinceMarkBytes),
    maxRssMb: mb(after.maxRssBytes),
    heapAfterGcMb: mb(after.heapUsedBytes),
    jdyWaitS: (after.jdyWaitMs - before.jdyWaitMs) / 1000,
    crmWaitS: (after.crmWaitMs - before.crmWaitMs) / 1000,
    loadAvg: os.loadavg(),
  };
}

/** Records the run left failed or pending, with their reasons (a scan: once, at the end). */
async function notSynced(stack: BenchStack): Promise<ImportFigures['notSynced']> {
  const rows = await stack.conn
    .db!.collection<{ object: string; sourceKey: string; status: string; reason: string | null }>(
      'sync_records',
    )
    .find({ status: { $in: ['failed', 'pending'] } })
    .limit(10)
    .toArray();
  return rows.map((r) => ({ object: r.object, key: r.sourceKey, status: r.status, reason: r.reason }));
}

/** The plugin's first import: POST /api/sync/run, followed until the run ends or the budget is spent. */
export async function pluginImport(
  stack: BenchStack,
  scenario: string,
  budgetMs: number,
): Promise<ImportFigures> {
  await stack.waitForSeedWindow();
  const calls = new CallLogs(stack);
  await calls.start();
  const before = await stack.plugin.mark();
  const { run, samples, finished, startedAt } = await stack.syncRun(IMPORT_OBJECTS, budgetMs);
  const after = await stack.plugin.mark();
  const summary = await calls.stop();
  const end =
    finished && run.finishedAt ? Date.parse(run.finishedAt) : startedAt + (samples.at(-1)?.[0] ?? 0);
  const measured: Measured = {
    finished,
    records: (run.counts.created ?? 0) + (run.counts.updated ?? 0),
    failed: run.counts.failed ?? 0,
    notSynced: await notSynced(stack),
    seconds: (end - startedAt) / 1000,
    trend: trendOf(samples),
  };
  return figures(stack, scenario, 'plugin', measured, summary, [before, after]);
}

/**
 * The naive importer on the same stack: the plugin syncs the reference data (categories, units),
 * stops, and scripts/bench/naive-import.ts imports products and customers one call at a time.
 */
export async function naiveImport(
  stack: BenchStack,
  scenario: string,
  budgetMs: number,
): Promise<ImportFigures> {
  await stack.waitForSeedWindow();
  await stack.syncRun(['customerCategory', 'productCategory', 'unit'], budgetMs);
  await stack.plugin.stop();
  const naive = MeasuredChild.start('./naive-import.ts', stack.env, stack.options.logFile);
  if ((await naive.next()).type !== 'ready') throw new Error('naive importer did not start');
  const calls = new CallLogs(stack);
  await calls.start();
  const before = await naive.mark();
  const started = Date.now();
  const { counts, usage: after } = await naive.run(budgetMs);
  const seconds = (Date.now() - started) / 1000;
  const summary = await calls.stop();
  await naive.stop();
  const measured: Measured = {
    finished: counts.finished,
    records: counts.created + counts.updated,
    failed: counts.failed,
    notSynced: [],
    seconds,
    trend: null,
  };
  return figures(stack, scenario, 'naive', measured, summary, [before, after]);
}
