/**
 * The whole test suite: type check, then every tests/**\/*.test.ts with node's test runner against
 * one FerretDB started for this run in a temporary directory (or MONGODB_URI when set).
 * Each test file uses its own database on that server (tests/helpers/db.ts).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startFerretDb } from '../src/db/ferretdb.js';

async function findTests(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files = await Promise.all(
    entries.map(async (e) => {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) return findTests(p);
      return e.name.endsWith('.test.ts') ? [p] : [];
    }),
  );
  return files.flat().sort();
}

function exec(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: 'inherit', env });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const startedAt = Date.now();
const filters = process.argv.slice(2);
const all = await findTests('tests');
const files = filters.length ? all.filter((f) => filters.some((x) => f.includes(x))) : all;

if (!process.env.SKIP_TYPECHECK) {
  console.log('typecheck: tsc --noEmit');
  const code = await exec('npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']);
  if (code !== 0) {
    console.error('typecheck failed');
    process.exit(code);
  }
  console.log('lint: prettier --check');
  const lint = await exec('npx', [
    'prettier',
    '--check',
    '--log-level=warn',
    'src',
    'plugins',
    'scripts',
    'tests',
  ]);
  if (lint !== 0) {
    console.error('formatting differs: run npm run format');
    process.exit(lint);
  }
}

let uri = process.env.MONGODB_URI;
let stopDb = async (): Promise<void> => {};
let tmp: string | undefined;
if (!uri) {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'jdyfx-test-'));
  const db = await startFerretDb({ dataDir: path.join(tmp, 'db') });
  uri = db.uri;
  stopDb = db.stop;
  console.log(`test database: FerretDB at ${uri} (data in ${tmp})`);
}

// The chaos suite (tests/chaos) kills workers, stops databases and floods the sandboxes with faults:
// it runs after the rest, one file at a time, so its timings do not compete with other tests.
const isChaos = (f: string) => f.startsWith(path.join('tests', 'chaos') + path.sep);
const phases = [
  { files: files.filter((f) => !isChaos(f)), concurrency: process.env.TEST_CONCURRENCY ?? '2' },
  { files: files.filter(isChaos), concurrency: '1' },
];
let code = 0;
for (const phase of phases) {
  if (phase.files.length === 0 || code !== 0) continue;
  code = await exec(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      '--test-reporter=spec',
      `--test-concurrency=${phase.concurrency}`,
      ...phase.files,
    ],
    { ...process.env, TEST_MONGODB_URI: uri, LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' },
  );
}
await stopDb();
if (tmp) await rm(tmp, { recursive: true, force: true });
const minutes = ((Date.now() - startedAt) / 60_000).toFixed(1);
console.log(`\nnpm test: ${code === 0 ? 'PASSED' : 'FAILED'} — ${files.length} test files in ${minutes} min`);
process.exit(code);
