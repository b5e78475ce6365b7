import type { AnySyncObjectModule } from '../object-module.js';
import { customerCategoryModule } from './customer-category.js';
import { customerImportModule } from './customer-import.js';
import { customerModule } from './customer.js';
import { deliveryNoteModule } from './delivery-note.js';
import { inventoryModule } from './inventory.js';
import { paymentModule } from './payment.js';
import { productCategoryModule } from './product-category.js';
import { productModule } from './product.js';
import { salesOrderModule } from './sales-order.js';
import { unitModule } from './unit.js';
import { warehouseModule } from './warehouse.js';

/** Every sync object of the product (sync-rules §3), one module per object and direction. */
export const SYNC_MODULES: readonly AnySyncObjectModule[] = [
  customerCategoryModule,
  warehouseModule,
  productCategoryModule,
  unitModule,
  productModule,
  customerImportModule,
  customerModule,
  salesOrderModule,
  paymentModule,
  deliveryNoteModule,
  inventoryModule,
];
