/**
 * A plugin-like worker process for the scheduler tests: it connects to the database given in
 * argv, defines two jobs that record every run in the "runs" collection, registers the repeating
 * job at start (as the plugin does at every start), and runs until killed.
 *   argv: <mongo uri> <lock lifetime ms> <every interval>
 */
import { connectDatabase } from '../../src/db/connection.js';
import { Scheduler } from '../../src/jobs/scheduler.js';
import { silentLogger } from '../../src/lib/logger.js';

const [uri, lockLifetime, interval] = process.argv.slice(2);
const conn = await connectDatabase(uri!, silentLogger);
const runs = conn.db!.collection('runs');
const scheduler = new Scheduler(conn, silentLogger, { pollMs: 200, lockLifetimeMs: Number(lockLifetime) });

scheduler.define<{ key: string }>({
  name: 'test.tick',
  handler: async (data) => {
    await runs.insertOne({ job: 'tick', key: data.key, pid: process.pid, at: new Date() });
    return { status: 'done' };
  },
});
scheduler.define<{ key: string }>({
  name: 'test.long',
  handler: async () => {
    await runs.insertOne({ job: 'long', pid: process.pid, at: new Date() });
    await new Promise((resolve) => setTimeout(resolve, 10 * 60 * 1000));
    return { status: 'done' };
  },
});
await scheduler.start();
await scheduler.every(interval!, 'test.tick', { key: 'k1' }, { name: 'test.tick', 'data.key': 'k1' });
process.send?.('ready');
process.on('SIGTERM', () => {
  void scheduler
    .stop(1000)
    .then(() => conn.close())
    .then(() => process.exit(0));
});
