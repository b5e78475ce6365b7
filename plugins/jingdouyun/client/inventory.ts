import { listAll, readWindows, type JdyWindowBatch, type WindowOptions } from './list.js';
import type { JdySession } from './transport.js';
import type { JdyInventoryRow } from './types.js';

export type JdyInventoryFilter = {
  material_ids?: readonly string[];
  material_numbers?: readonly string[];
  stock_ids?: readonly string[];
  stock_numbers?: readonly string[];
};

const PATH = '/jdy/v2/scm/inventory';

/** Instant inventory (§5.12), read only: one row per (product, warehouse) pair with a record. */
export interface JdyInventory {
  list(filter?: JdyInventoryFilter): AsyncGenerator<JdyInventoryRow>;
  changes(
    options?: WindowOptions,
    filter?: JdyInventoryFilter,
  ): AsyncGenerator<JdyWindowBatch<JdyInventoryRow>>;
}

export const inventory = (session: JdySession): JdyInventory => ({
  list: (filter = {}) => listAll<JdyInventoryRow>(session, PATH, filter),
  changes: (options = {}, filter = {}) => readWindows<JdyInventoryRow>(session, PATH, filter, options),
});
