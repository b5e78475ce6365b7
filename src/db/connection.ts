import mongoose, { type Connection } from 'mongoose';
import type { Logger } from '../lib/logger.js';
import { withRetry } from '../lib/retry.js';

/**
 * One mongoose connection per process. Start-up retries with backoff, so the plugin and its
 * database can start in any order; afterwards the driver reconnects on its own.
 */
export async function connectDatabase(uri: string, logger: Logger, attempts = 10): Promise<Connection> {
  return withRetry(
    async () => {
      const conn = mongoose.createConnection(uri, {
        serverSelectionTimeoutMS: 5000,
        // FerretDB and MongoDB both accept these; retryable writes need a replica set, which neither has here.
        retryWrites: false,
        autoIndex: true,
      });
      try {
        await conn.asPromise();
        return conn;
      } catch (error) {
        await conn.close(true).catch(() => undefined);
        throw error;
      }
    },
    {
      attempts,
      baseDelayMs: 500,
      maxDelayMs: 5000,
      decide: () => ({ retry: true }),
      onRetry: (error, attempt, delayMs) =>
        logger.warn({ attempt, delayMs, err: (error as Error).message }, 'database not reachable, retrying'),
    },
  );
}

/** True when the server answers a ping now. */
export async function pingDatabase(conn: Connection, timeoutMs = 1500): Promise<boolean> {
  const db = conn.db;
  if (!db || conn.readyState !== 1) return false;
  const timeout = new Promise<false>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref());
  const ping = db
    .admin()
    .command({ ping: 1 })
    .then(() => true as const)
    .catch(() => false as const);
  return Promise.race([ping, timeout]);
}
