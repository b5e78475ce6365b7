/**
 * npm run bench — the plugin's performance on the real stack: embedded FerretDB, both sandboxes
 * with their rate limits on (the contracts' values × one factor, so a run takes minutes instead of
 * hours), and the plugin in its own process (its CPU time and peak RSS measured there).
 *
 *   First import   20 000 products + 20 000 customers from JDY into the CRM: records/min against
 *                  the ceiling the rate limits allow, throttled answers, peak RSS, CPU per record.
 *   Scaling        the same at 2 000 and 100 000 products (customers stay at 20 000 for 100 000).
 *   Steady state   after a first import of 2 000 + 2 000, 50 CRM orders per second for a minute,
 *                  as change events: latency from the order's creation to its JDY order, without
 *                  the time spent waiting for the JDY rate limit (reported on its own).
 *   Baseline       the first import done naively (scripts/bench/naive-import.ts).
 *
 * Flags: --skip-largest (no 100 000 run); --factor=N (default 10); --only=a,b (of 2k, 20k, steady,
 * naive, 100k); --naive-size=N (its products and customers; default 20 000); --budget-minutes=N
 * (per import, default 15: a slower import is stopped and reported as partial); --burst (JDY
 * records all created "now" instead of spread over a year); --latency-ms=N (added to every call of
 * both sandboxes, default 0); --profile (V8 CPU profiles of the plugin into bench/results/);
 * --mongodb-uri=mongodb://host:port/ (that database instead of the embedded FerretDB).
 * Prints one table and writes it as JSON to bench/results/<time>.json (updated after each scenario).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { startFerretDb } from '../src/db/ferretdb.js';
import { IMPORT_OBJECTS, importCeiling, naiveImport, pluginImport } from './bench/import.js';
import { BenchStack, LIMITS } from './bench/stack.js';
import { steadyState } from './bench/steady.js';
import { printTable, type BenchResult } from './bench/table.js';

const args = new Map(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k!, v ?? 'true'] as const;
  }),
);
const factor = Number(args.get('factor') ?? 10);
const only = args.get('only')?.split(',');
const wanted = (name: string) => (only ? only.includes(name) : name !== '100k' || !args.has('skip-largest'));
const naiveSize = Number(args.get('naive-size') ?? 20_000);
const budgetMs = Number(args.get('budget-minutes') ?? 15) * 60_000;
const burst = args.has('burst');
const latencyMs = Number(args.get('latency-ms') ?? 0);

const resultsDir = path.resolve('bench/results');
await mkdir(resultsDir, { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
const logFile = path.join(resultsDir, `${stamp}.log`);
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'jdy-bench-'));
// Another database (e.g. a real MongoDB) instead of the embedded FerretDB, for comparison.
const external = args.get('mongodb-uri');
const db = external
  ? { uri: external.replace(/\/?$/, '/'), stop: async () => undefined }
  : await startFerretDb({ dataDir });

const result: BenchResult = {
  date: new Date().toISOString(),
  commit: execFileSync('git', ['rev-parse', '--short', 'HEAD']).toString().trim(),
  machine: {
    cpus: os.cpus().length,
    model: os.cpus()[0]?.model ?? '',
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
  },
  factor,
  dataShape: burst ? 'burst' : 'history',
  latencyMs,
  database: external ? 'external MongoDB-compatible database' : 'embedded FerretDB v1.24.2 (SQLite)',
  limits: {
    jdyPerMinute: LIMITS.jdyPerMinute * factor,
    crmPer20sPerPath: LIMITS.crmPer20s * factor,
    pluginJdyPerMinute: LIMITS.pluginJdyPerMinute * factor,
    pluginCrmPer20s: LIMITS.pluginCrmPer20s * factor,
  },
  ceiling: importCeiling(factor),
  imports: [],
  steady: null,
  errors: [],
};
const resultFile = path.join(resultsDir, `${stamp}.json`);

const profileDir = args.has('profile') ? resultsDir : undefined;
const stackFor = (name: string, products: number, customers: number) =>
  BenchStack.start({
    name: `bench_${name}`,
    dbUri: db.uri,
    factor,
    products,
    customers,
    burst,
    latencyMs,
    logFile,
    profileDir,
  });

const save = () => writeFile(resultFile, `${JSON.stringify(result, null, 2)}\n`);

/** One scenario on a fresh stack; a failure is recorded and the next scenario runs anyway. */
async function scenario<T>(
  name: string,
  products: number,
  customers: number,
  work: (s: BenchStack) => Promise<T>,
): Promise<T | null> {
  console.error(`[bench] ${name}: ${products} products + ${customers} customers, factor ${factor}`);
  let stack: BenchStack | null = null;
  try {
    stack = await stackFor(name, products, customers);
    return await work(stack);
  } catch (error) {
    console.error(`[bench] ${name} failed:`, error);
    result.errors.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  } finally {
    await stack?.close();
  }
}

const importScenario = async (name: string, products: number, customers: number, importer = pluginImport) => {
  const figures = await scenario(name, products, customers, (s) => importer(s, name, budgetMs));
  if (figures) result.imports.push(figures);
  await save();
};

try {
  if (wanted('2k')) await importScenario('2k', 2_000, 2_000);
  if (wanted('20k')) await importScenario('20k', 20_000, 20_000);
  if (wanted('steady')) {
    // Its own stack: the orders need imported customers and products, and no import run in the way.
    result.steady = await scenario('steady', 2_000, 2_000, async (s) => {
      await s.waitForSeedWindow();
      const { finished } = await s.syncRun(IMPORT_OBJECTS, budgetMs);
      if (!finished) throw new Error('the import before the steady state did not finish in the budget');
      return steadyState(s);
    });
    await save();
  }
  if (wanted('naive')) await importScenario(`${naiveSize / 1000}k`, naiveSize, naiveSize, naiveImport);
  if (wanted('100k')) await importScenario('100k', 100_000, 20_000);
} finally {
  await db.stop();
  await rm(dataDir, { recursive: true, force: true });
}

printTable(result);
await save();
console.log(`\nWritten: bench/results/${stamp}.json (plugin log: bench/results/${stamp}.log)`);
process.exit(0);
