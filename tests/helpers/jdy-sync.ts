/**
 * The JDY sandbox seeded with demoSeed(), a client on it whose clock follows the sandbox's virtual
 * clock (moved only by `advance`/`setClock`, so change windows are exact), and the sync adapter.
 */
import { ManualClock } from '../../src/lib/clock.js';
import { SlidingWindowLimiter } from '../../src/lib/rate-limit.js';
import type { ErpChangePage, ErpSyncAdapter } from '../../src/erp/plugin.js';
import { JDY_ACCOUNT_SETS, JDY_APP } from '../../src/demo/story.js';
import { JdyClient, JdyTransport, type JdyConnection } from '../../plugins/jingdouyun/client/index.js';
import { startJdySandbox } from '../../plugins/jingdouyun/sandbox/index.js';
import { DEMO_AUTHORIZATION, demoSeed } from '../../plugins/jingdouyun/sandbox/seed/demo.js';
import { jdySyncAdapter } from '../../plugins/jingdouyun/sync/adapter.js';
import { baseUnitMemo } from '../../plugins/jingdouyun/sync/writers.js';

export const MAIN = JDY_ACCOUNT_SETS.main.accountId;

export const DEMO_CONNECTION: JdyConnection = {
  accountId: MAIN,
  appKey: DEMO_AUTHORIZATION.appKey,
  appSecret: DEMO_AUTHORIZATION.appSecret,
  domain: JDY_ACCOUNT_SETS.main.domain,
  groupName: JDY_ACCOUNT_SETS.main.groupName,
};

export interface JdySyncFixture {
  url: string;
  client: JdyClient;
  adapter: ErpSyncAdapter;
  clock: ManualClock;
  control<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T>;
  /** Moves the sandbox clock on and the client's clock to the sandbox's now. */
  advance(ms: number): Promise<number>;
  /** The id of a live record of the main account set, by number (bill_no for bills). */
  idOf(entity: string, number: string): Promise<string>;
  /** Live records of an entity as the sandbox stores them (detail shape). */
  records<T = Record<string, unknown>>(entity: string): Promise<T[]>;
  close(): Promise<void>;
}

export async function startJdySyncFixture(): Promise<JdySyncFixture> {
  const sandbox = await startJdySandbox({ port: 0 });
  const control = async <T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<T> => {
    const res = await fetch(`${sandbox.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as T;
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  await control('POST', '/__sandbox/seed', demoSeed());
  // The client's clock jumps with the virtual one: a real-time rate window would not follow it.
  await control('POST', '/__sandbox/settings', { rate_limit_enabled: false });
  const clock = new ManualClock();
  const advance = async (ms: number): Promise<number> => {
    const { now } = await control<{ now: number }>('POST', '/__sandbox/clock', { advance_ms: ms });
    clock.set(now);
    return now;
  };
  // Past the 5 s lag of window ends, so the seeded records are readable.
  await advance(10_000);
  const transport = new JdyTransport(
    { baseUrl: sandbox.url, clientId: JDY_APP.clientId, clientSecret: JDY_APP.clientSecret, timeoutMs: 3000 },
    { clock, limiter: new SlidingWindowLimiter({ limit: 100_000, windowMs: 60_000, clock }) },
  );
  const client = new JdyClient(transport.session(DEMO_CONNECTION));
  const records = async <T = Record<string, unknown>>(entity: string): Promise<T[]> =>
    (await control<{ rows: T[] }>('GET', `/__sandbox/records?account_id=${MAIN}&entity=${entity}`)).rows;
  return {
    url: sandbox.url,
    client,
    adapter: jdySyncAdapter(client, baseUnitMemo(clock)),
    clock,
    control,
    records,
    advance,
    async idOf(entity, number) {
      const rows = await records<{ id: string; number?: string; bill_no?: string }>(entity);
      const row = rows.find((r) => (r.number ?? r.bill_no) === number);
      if (!row) throw new Error(`${entity} ${number} not found`);
      return row.id;
    },
    close: () => sandbox.close(),
  };
}

/** Every page of a changes read. */
export async function drainPages<T>(pages: AsyncIterable<ErpChangePage<T>>): Promise<ErpChangePage<T>[]> {
  const out: ErpChangePage<T>[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

/** The records, deletions and final cursor of a changes read. */
export async function readAll<T>(
  pages: AsyncIterable<ErpChangePage<T>>,
): Promise<{ records: T[]; deleted: Array<{ id: string; number: string }>; cursor: string | null }> {
  const all = await drainPages(pages);
  return {
    records: all.flatMap((p) => p.records),
    deleted: all.flatMap((p) => p.deleted),
    cursor: all.at(-1)?.cursor ?? null,
  };
}
