import type { FxClient } from '../fxiaoke/client/index.js';
import type { FxFieldDefinition } from '../fxiaoke/client/metadata.js';
import type { PresetKey } from '../dal/settings/settings.entity.js';

/**
 * The CRM fields and object the plugin needs (sync-rules §4), grouped by what needs them. Each
 * field has the api name the plugin creates and the settings key under which the api name found
 * in the CRM is kept (a field an admin made by hand may have any `__c` name: it is found by label
 * and type).
 */
export type FieldNeed = PresetKey | 'orderSync';

export interface RequiredField {
  need: FieldNeed;
  /** settings.crmFields key (see sync/objects/crm-fields.ts). */
  key: string;
  object: string;
  definition: FxFieldDefinition;
}

const CATEGORY_OBJECT = 'object_customer_category__c';
const CATEGORY_OBJECT_LABEL = '客户分类';

export const REQUIRED_FIELDS: readonly RequiredField[] = [
  {
    need: 'brand',
    key: 'brand',
    object: 'ProductObj',
    definition: { api_name: 'brand__c', label: '品牌', type: 'text' },
  },
  {
    need: 'customerCategory',
    key: 'customerCategory',
    object: 'AccountObj',
    definition: {
      api_name: 'customer_category__c',
      label: '客户分类',
      type: 'object_reference',
      target_api_name: CATEGORY_OBJECT,
    },
  },
  {
    need: 'warehouse',
    key: 'lineWarehouse',
    object: 'SalesOrderProductObj',
    definition: {
      api_name: 'warehouse__c',
      label: '发货仓库',
      type: 'object_reference',
      target_api_name: 'WarehouseObj',
    },
  },
  {
    need: 'orderSync',
    key: 'syncStatus',
    object: 'SalesOrderObj',
    definition: {
      api_name: 'sync_status__c',
      label: '同步状态',
      type: 'select_one',
      options: [
        { label: '已同步', value: 'synced' },
        { label: '未同步', value: 'not_synced' },
      ],
    },
  },
  {
    need: 'orderSync',
    key: 'deliveryMethod',
    object: 'SalesOrderObj',
    definition: {
      api_name: 'delivery_method__c',
      label: '交货方式',
      type: 'select_one',
      options: [
        { label: '物流发货', value: 'logistics' },
        { label: '车辆配送', value: 'vehicle' },
        { label: '客户自提', value: 'pickup' },
      ],
    },
  },
  {
    need: 'orderSync',
    key: 'attachments',
    object: 'SalesOrderObj',
    definition: { api_name: 'attachment_sync__c', label: '附件同步', type: 'file_attachment' },
  },
];

/** The 客户分类 object of the customer-category preset, with its fields (§4). */
const CATEGORY_FIELDS: ReadonlyArray<{ key: string; definition: FxFieldDefinition }> = [
  { key: 'customerCategoryNumber', definition: { api_name: 'category_no__c', label: '编号', type: 'text' } },
  {
    key: 'customerCategoryParent',
    definition: {
      api_name: 'parent_id__c',
      label: '上级分类',
      type: 'object_reference',
      target_api_name: CATEGORY_OBJECT,
    },
  },
  { key: 'customerCategoryRemark', definition: { api_name: 'remark__c', label: '备注', type: 'long_text' } },
];

/** What is missing and must be created by hand (shown on the page). */
export interface MissingField {
  object: string;
  field: string;
  label: string;
  type: string;
}

export interface FieldCheck {
  ready: boolean;
  /** settings.crmFields entries found or created. */
  found: Record<string, string>;
  missing: MissingField[];
  /** Why the plugin could not create them (no metadata permission), when it could not. */
  message: string | null;
}

/**
 * Makes sure the CRM has what `need` requires: finds each field by api name, or by label and
 * type (hand-made), creates it when missing, and — without the metadata permission — reports
 * exactly what to create by hand. Safe to repeat (重新检查).
 */
export async function ensureCrmFields(crm: FxClient, need: FieldNeed): Promise<FieldCheck> {
  const result: FieldCheck = { ready: true, found: {}, missing: [], message: null };
  if (need === 'customerCategory') await ensureCategoryObject(crm, result);
  for (const req of REQUIRED_FIELDS.filter((f) => f.need === need)) {
    const target =
      req.definition.target_api_name === CATEGORY_OBJECT ? result.found.customerCategoryObject : undefined;
    const definition = target ? { ...req.definition, target_api_name: target } : req.definition;
    await ensureField(crm, req.object, req.key, definition, result);
  }
  result.ready = result.missing.length === 0;
  return result;
}

async function ensureField(
  crm: FxClient,
  object: string,
  key: string,
  definition: FxFieldDefinition,
  result: FieldCheck,
): Promise<void> {
  const existing = await findField(crm, object, definition);
  if (existing) {
    result.found[key] = existing;
    return;
  }
  const created = await crm.metadata.createField(object, definition);
  if (created.status === 'permission_missing') {
    result.message = created.message;
    result.missing.push({
      object,
      field: definition.api_name,
      label: definition.label,
      type: definition.type,
    });
    return;
  }
  // Created, or "already exists" (a retried create): read the describe again to learn its api name.
  result.found[key] = (await findField(crm, object, definition)) ?? definition.api_name;
}

async function findField(
  crm: FxClient,
  object: string,
  definition: FxFieldDefinition,
): Promise<string | null> {
  crm.data.forgetDescribe(object);
  const describe = await crm.data.describe(object);
  if (describe.field(definition.api_name)?.is_active) return definition.api_name;
  return describe.findField(definition.label, definition.type)?.api_name ?? null;
}

async function ensureCategoryObject(crm: FxClient, result: FieldCheck): Promise<void> {
  const objects = await crm.data.objects();
  const existing =
    objects.find((o) => o.describeApiName === CATEGORY_OBJECT) ??
    objects.find((o) => o.defineType === 'custom' && o.describeDisplayName === CATEGORY_OBJECT_LABEL);
  let apiName = existing?.describeApiName ?? null;
  if (!apiName) {
    const created = await crm.metadata.createObject({
      api_name: CATEGORY_OBJECT,
      display_name: CATEGORY_OBJECT_LABEL,
      fields: CATEGORY_FIELDS.map((f) => f.definition),
    });
    if (created.status === 'permission_missing') {
      result.message = created.message;
      result.missing.push({
        object: CATEGORY_OBJECT,
        field: '',
        label: CATEGORY_OBJECT_LABEL,
        type: 'object',
      });
      for (const f of CATEGORY_FIELDS) {
        result.missing.push({
          object: CATEGORY_OBJECT,
          field: f.definition.api_name,
          label: f.definition.label,
          type: f.definition.type,
        });
      }
      return;
    }
    apiName = CATEGORY_OBJECT;
  }
  result.found.customerCategoryObject = apiName;
  for (const f of CATEGORY_FIELDS) {
    const definition = f.definition.target_api_name
      ? { ...f.definition, target_api_name: apiName }
      : f.definition;
    await ensureField(crm, apiName, f.key, definition, result);
  }
}
