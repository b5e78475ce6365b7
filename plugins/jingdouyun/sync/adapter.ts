import type { ErpSyncAdapter } from '../../../src/erp/plugin.js';
import type { JdyClient } from '../client/index.js';
import { deliveriesReader, paymentsReader } from './bills.js';
import {
  customerCategoriesReader,
  customersReader,
  productCategoriesReader,
  productsReader,
  stockReader,
  unitsReader,
  warehousesReader,
} from './readers.js';
import { SalesOrdersWriter, customersWriter, type BaseUnits } from './writers.js';

/** The sync side of one connected account set, over its client; `baseUnits` is the process's cache. */
export function jdySyncAdapter(client: JdyClient, baseUnits: BaseUnits): ErpSyncAdapter {
  return {
    customerCategories: customerCategoriesReader(client),
    productCategories: productCategoriesReader(client),
    units: unitsReader(client),
    products: productsReader(client),
    warehouses: warehousesReader(client),
    customers: { ...customersReader(client), ...customersWriter(client) },
    salesOrders: new SalesOrdersWriter(client, baseUnits),
    payments: paymentsReader(client),
    deliveries: deliveriesReader(client),
    stock: stockReader(client),
    async uploadAttachment(content, filename) {
      return (await client.upload(content, filename)).url;
    },
  };
}
