/**
 * The baseline: the first import of products and customers done the simple way, with the
 * plugin's own clients and field mapping but none of its engine — one call at a time, the JDY list
 * read page by page without windows, each record's detail read, looked up in the CRM by its
 * business key on its own (no batched IN query), then created or updated (no change detection,
 * no sync records, no checkpoints). Categories and units must be synced already (their mappings
 * are read from the plugin's database). Same IPC as plugin-process.ts: ready, mark, run → done.
 */
import { loadConfig } from '../../src/config.js';
import { ConnectionRepository } from '../../src/dal/connection/connection.repository.js';
import { MappingRepository } from '../../src/dal/mapping/mapping.repository.js';
import { DbJdyTokenStore } from '../../src/dal/token/jdy-token-store.js';
import { TenantRepository } from '../../src/dal/tenant/tenant.repository.js';
import { TokenRepository } from '../../src/dal/token/token.repository.js';
import { connectDatabase } from '../../src/db/connection.js';
import { FxCrm, FxQuery, FxTransport, where, type Json } from '../../src/fxiaoke/client/index.js';
import { messageOf } from '../../src/lib/errors.js';
import { silentLogger } from '../../src/lib/logger.js';
import { SecretBox } from '../../src/lib/secret-box.js';
import { mapCustomerToCrm, mapProduct } from '../../src/sync/objects/mapping.js';
import { jingdouyunPlugin } from '../../plugins/jingdouyun/index.js';
import { mark, send } from './meter.js';
import type { NaiveCounts, ParentMessage } from './protocol.js';

const config = loadConfig(process.env);
const conn = await connectDatabase(config.mongodbUri ?? '', silentLogger);
const box = new SecretBox(config.secretKey);
const tenants = new TenantRepository(conn, box);
const tokens = new TokenRepository(conn, box);
const connections = new ConnectionRepository(conn, box);
const mappings = new MappingRepository(conn);

async function importAll(budgetMs: number): Promise<NaiveCounts> {
  const deadline = Date.now() + budgetMs;
  const counts: NaiveCounts = { finished: false, created: 0, updated: 0, failed: 0, firstError: null };
  const [tenant] = await tenants.listActive();
  if (!tenant) throw new Error('no installed tenant');
  const tenantId = TenantRepository.idOf(tenant);
  const connection = await connections.get(tenantId);
  if (!connection) throw new Error('no JDY connection');
  const crm = new FxCrm(new FxTransport(config.fx, { tokens }), tenants).client(
    tenant,
    connection.connectedBy,
  ).data;
  const jdy = jingdouyunPlugin(config.jdy, new DbJdyTokenStore(tokens, Date.now), async () => undefined);
  const erpConnection = connections.open(connection);
  const client = jdy.clientFor(erpConnection);
  const erp = jdy.sync(erpConnection);

  const upsert = async (apiName: string, keyField: string, key: string, data: Json): Promise<void> => {
    const found = await crm.query(
      apiName,
      FxQuery.create(1).filter(where.eq(keyField, key), where.live()).project('_id'),
    );
    const id = found.dataList[0]?._id;
    if (id) {
      await crm.update(apiName, id, data, { triggerWorkFlow: false });
      counts.updated++;
    } else {
      await crm.create(apiName, data, { triggerWorkFlow: false });
      counts.created++;
    }
  };
  /** Each listed row: its detail, then `write` (a refusal's reason counts as a failure); false once out of time. */
  const each = async <T>(
    rows: AsyncIterable<{ id: string }>,
    get: (id: string) => Promise<T | null>,
    write: (record: T) => Promise<string | null>,
  ): Promise<boolean> => {
    for await (const row of rows) {
      if (Date.now() > deadline) return false;
      try {
        const record = await get(row.id);
        const refused = record === null ? null : await write(record);
        if (refused !== null) throw new Error(refused);
      } catch (error) {
        counts.failed++;
        counts.firstError ??= messageOf(error);
      }
    }
    return true;
  };
  const crmIdOf = async (object: 'productCategory' | 'unit', erpId: string | null) =>
    erpId ? ((await mappings.byErpId(tenantId, object, erpId))?.crmId ?? null) : null;

  const productsDone = await each(
    client.materials.list(),
    (id) => erp.products.get(id),
    async (p) => {
      const mapped = mapProduct(p, {
        categoryId: await crmIdOf('productCategory', p.categoryId),
        unitId: await crmIdOf('unit', p.unitId),
        brandPreset: false,
      });
      if (!mapped.ok) return mapped.error.reason;
      const { product_status, brand: _brand, ...fields } = mapped.value;
      const status = await crm.optionValue('ProductObj', 'product_status', product_status.label);
      await upsert('ProductObj', 'product_code', p.number, { ...fields, product_status: status });
      return null;
    },
  );
  if (!productsDone) return counts;
  const customersDone = await each(
    client.customers.list(),
    (id) => erp.customers.get(id),
    async (c) => {
      const mapped = mapCustomerToCrm(c, {
        ownerId: connection.connectedBy,
        categoryId: null,
        categoryPreset: false,
      });
      if (!mapped.ok) return mapped.error.reason;
      const { owner, categoryId: _category, ...fields } = mapped.value;
      await upsert('AccountObj', 'name', c.name, { ...fields, owner: [owner] });
      return null;
    },
  );
  return { ...counts, finished: customersDone };
}

process.on('message', (message: ParentMessage) => {
  if (message.type === 'mark') send({ type: 'mark', usage: mark() });
  if (message.type === 'run') {
    void importAll(message.budgetMs).then((counts) => send({ type: 'done', counts, usage: mark() }));
  }
  if (message.type === 'stop') void conn.close().finally(() => process.exit(0));
});
send({ type: 'ready', url: '' });
