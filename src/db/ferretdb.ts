import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { cp, mkdir, readFile, writeFile, access, rm, chmod } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * The embedded database for people without a MongoDB: FerretDB v1 on its SQLite backend, built
 * from the Go module proxy into `.cache/` on first use and started on a free loopback port.
 *
 * Why not `go install …@v1.24.2`: that module version ships no build/version/version.txt, and a
 * binary whose main module is FerretDB panics at start without it (and the proxy refuses the
 * `@v/list` lookup `go install` makes for deprecation notices). So we download exactly that module
 * version with `go mod download`, add the version file `bin/task gen-version` would have written,
 * and build its own ./cmd/ferretdb with its own go.sum.
 *
 * One line of FerretDB is changed (ID_INDEX_FIX): its SQLite backend creates the unique `_id`
 * index on `_ferretdb_sjson->"_id"` but looks `_id` up with `_ferretdb_sjson->'$._id'`, an
 * expression SQLite does not match to that index, so every `{_id: value}` lookup, update and
 * delete scanned the whole table (EXPLAIN QUERY PLAN: SCAN). Written the way the index is, the
 * same lookups use it (SEARCH … USING INDEX) — same results, same data files, no longer O(table).
 */
export const FERRETDB_VERSION = 'v1.24.2';
const MODULE = 'github.com/FerretDB/FerretDB';
const ID_INDEX_FIX = {
  file: 'internal/backends/sqlite/metadata/metadata.go',
  from: `IDColumn = DefaultColumn + "->'$._id'"`,
  to: `IDColumn = DefaultColumn + "->'_id'"`,
};

const run = promisify(execFile);

const exists = (p: string): Promise<boolean> =>
  access(p).then(
    () => true,
    () => false,
  );

export function cacheDir(root = process.cwd()): string {
  return path.join(root, '.cache');
}

/** Builds FerretDB once; answers the binary's path. */
export async function ensureFerretDbBinary(root = process.cwd()): Promise<string> {
  const bin = path.join(cacheDir(root), 'bin', `ferretdb-${FERRETDB_VERSION}-id-index`);
  if (await exists(bin)) return bin;
  const env = { ...process.env, GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local' };
  const { stdout } = await run('go', ['mod', 'download', '-json', `${MODULE}@${FERRETDB_VERSION}`], {
    env,
    maxBuffer: 16 * 1024 * 1024,
  });
  const dir = (JSON.parse(stdout) as { Dir?: string }).Dir;
  if (!dir) throw new Error(`go mod download gave no directory for ${MODULE}@${FERRETDB_VERSION}`);
  const src = path.join(cacheDir(root), `ferretdb-src-${FERRETDB_VERSION}`);
  await rm(src, { recursive: true, force: true });
  await cp(dir, src, { recursive: true });
  await chmod(src, 0o755);
  await run('chmod', ['-R', 'u+w', src]);
  await writeFile(path.join(src, 'build', 'version', 'version.txt'), `${FERRETDB_VERSION}\n`);
  const metadata = path.join(src, ID_INDEX_FIX.file);
  const source = await readFile(metadata, 'utf8');
  if (!source.includes(ID_INDEX_FIX.from)) throw new Error(`FerretDB source changed: ${ID_INDEX_FIX.file}`);
  await writeFile(metadata, source.replace(ID_INDEX_FIX.from, ID_INDEX_FIX.to));
  await mkdir(path.dirname(bin), { recursive: true });
  await run('go', ['build', '-o', bin, './cmd/ferretdb'], { cwd: src, env, maxBuffer: 16 * 1024 * 1024 });
  return bin;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export interface RunningFerretDb {
  /** Base URI without a database name, e.g. mongodb://127.0.0.1:41234/ */
  uri: string;
  port: number;
  dataDir: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export interface StartOptions {
  dataDir: string;
  port?: number;
  root?: string;
}

/** Starts FerretDB on loopback with its SQLite files in `dataDir`; resolves when it accepts connections. */
export async function startFerretDb(options: StartOptions): Promise<RunningFerretDb> {
  const bin = await ensureFerretDbBinary(options.root);
  await mkdir(options.dataDir, { recursive: true });
  const port = options.port ?? (await freePort());
  const debugPort = await freePort();
  // synchronous(normal) in WAL mode survives a process crash (only an OS crash may lose the last commits).
  const sqliteUrl = `file:${path.resolve(options.dataDir)}/?_pragma=synchronous(normal)`;
  const child = spawn(
    bin,
    [
      '--handler=sqlite',
      `--sqlite-url=${sqliteUrl}`,
      `--listen-addr=127.0.0.1:${port}`,
      `--debug-addr=127.0.0.1:${debugPort}`,
      `--state-dir=${path.resolve(options.dataDir)}`,
      '--telemetry=disable',
      '--log-level=ERROR',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 30_000;
  while (!(await canConnect(port))) {
    if (child.exitCode !== null) throw new Error(`FerretDB exited at start: ${stderr}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`FerretDB did not answer on port ${port} within 30 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    uri: `mongodb://127.0.0.1:${port}/`,
    port,
    dataDir: options.dataDir,
    process: child,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
