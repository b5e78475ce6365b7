import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Socket } from 'node:net';
import { startFerretDb } from '../../src/db/ferretdb.js';

let shared: Promise<string> | undefined;

/**
 * The base URI of the test database server: the one scripts/test.ts started (TEST_MONGODB_URI), or
 * when a file is run on its own, a FerretDB started for this process.
 */
export function testServerUri(): Promise<string> {
  const fromEnv = process.env.TEST_MONGODB_URI;
  if (fromEnv) return Promise.resolve(fromEnv);
  shared ??= (async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'jdyfx-db-'));
    const db = await startFerretDb({ dataDir: dir });
    // Let this process exit when its tests are done: the server is killed on exit.
    db.process.unref();
    (db.process.stderr as Socket | null)?.unref();
    process.once('exit', () => db.process.kill('SIGKILL'));
    return db.uri;
  })();
  return shared;
}

/** A fresh database for one test file: mongodb://host:port/<prefix>_<random>. */
export async function freshDatabaseUri(prefix: string): Promise<string> {
  const base = await testServerUri();
  const name = `${prefix.replace(/[^a-z0-9]/gi, '_').slice(0, 30)}_${randomBytes(4).toString('hex')}`;
  return base.endsWith('/') ? `${base}${name}` : `${base}/${name}`;
}
