import type { SyncEnv } from '../sync-env.js';

/**
 * The api names of the CRM fields and object the plugin needs (sync-rules §4). The plugin creates
 * them with these names; fields an admin made by hand may have other `__c` names, which the setup
 * check finds by label and type and stores in the settings — this is the one place that reads them.
 */
export function crmFieldsOf(env: Pick<SyncEnv, 'settings'>) {
  const f = env.settings.crmFields;
  return {
    brand: f.brand ?? 'brand__c',
    customerCategory: f.customerCategory ?? 'customer_category__c',
    categoryObject: f.customerCategoryObject ?? 'object_customer_category__c',
    categoryNumber: f.customerCategoryNumber ?? 'category_no__c',
    categoryParent: f.customerCategoryParent ?? 'parent_id__c',
    categoryRemark: f.customerCategoryRemark ?? 'remark__c',
    lineWarehouse: f.lineWarehouse ?? 'warehouse__c',
    syncStatus: f.syncStatus ?? 'sync_status__c',
    deliveryMethod: f.deliveryMethod ?? 'delivery_method__c',
    attachments: f.attachments ?? 'attachment_sync__c',
  };
}
