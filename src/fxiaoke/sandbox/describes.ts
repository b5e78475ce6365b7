/** The shipped object describes of §7 and the per-tenant describe model. */
export type FieldType =
  | 'text'
  | 'long_text'
  | 'number'
  | 'currency'
  | 'date'
  | 'date_time'
  | 'select_one'
  | 'object_reference'
  | 'master_detail'
  | 'employee'
  | 'file_attachment'
  | 'true_or_false'
  | 'auto_number';

export interface FieldOption {
  label: string;
  value: string;
}

export interface FieldDef {
  api_name: string;
  label: string;
  type: FieldType;
  define_type: 'system' | 'package' | 'custom';
  is_required: boolean;
  is_unique: boolean;
  is_readonly: boolean;
  is_active: boolean;
  options?: FieldOption[];
  target_api_name?: string;
  decimal_places?: number;
  max_length?: number;
  default_value?: unknown;
  help_text?: string;
  /** Internal: writable on create only (update → 32003). Never shown in the describe. */
  createOnly?: boolean;
  /** Internal: the subset of option values a client may write (DeliveryNoteObj.status). */
  writableOptions?: string[];
}

export interface ObjectDef {
  api_name: string;
  display_name: string;
  define_type: 'package' | 'custom';
  fields: Map<string, FieldDef>;
  /** For detail objects: the master and the master_detail link field. */
  master?: { objectApiName: string; linkField: string };
  readOnly?: boolean;
}

export const SYSTEM_USER = '-10000';

const LIFE_OPTIONS: FieldOption[] = [
  { label: '未生效', value: 'ineffective' },
  { label: '审核中', value: 'under_review' },
  { label: '正常', value: 'normal' },
  { label: '变更中', value: 'in_change' },
  { label: '作废', value: 'invalid' },
];

type Spec = [api: string, label: string, type: FieldType, extra?: Partial<FieldDef>];

const REQ = { is_required: true };
const RO = { is_readonly: true };

function field(
  api: string,
  label: string,
  type: FieldType,
  define: FieldDef['define_type'],
  extra?: Partial<FieldDef>,
) {
  const f: FieldDef = {
    api_name: api,
    label,
    type,
    define_type: define,
    is_required: false,
    is_unique: false,
    is_readonly: false,
    is_active: true,
    ...extra,
  };
  if ((type === 'number' || type === 'currency') && f.decimal_places === undefined) f.decimal_places = 2;
  if (type === 'text' && f.max_length === undefined) f.max_length = 255;
  if (type === 'long_text' && f.max_length === undefined) f.max_length = 4000;
  return f;
}

function systemFields(isDetail: boolean): FieldDef[] {
  const s = (api: string, label: string, type: FieldType, extra?: Partial<FieldDef>) =>
    field(api, label, type, 'system', { is_readonly: true, ...extra });
  const out = [s('_id', 'ID', 'text')];
  if (!isDetail) {
    out.push(s('owner', '负责人', 'employee', { is_required: true, is_readonly: false, createOnly: true }));
  }
  out.push(
    s('created_by', '创建人', 'employee'),
    s('last_modified_by', '最后修改人', 'employee'),
    s('create_time', '创建时间', 'date_time'),
    s('last_modified_time', '最后修改时间', 'date_time'),
    s('life_status', '生命状态', 'select_one', { options: LIFE_OPTIONS }),
    s('life_status_before_invalid', '作废前生命状态', 'select_one', { options: LIFE_OPTIONS }),
    s('lock_status', '锁定状态', 'select_one', {
      options: [
        { label: '未锁定', value: '0' },
        { label: '锁定', value: '1' },
      ],
    }),
    s('is_deleted', '是否删除', 'true_or_false'),
    s('record_type', '业务类型', 'select_one', { options: [{ label: '预设业务类型', value: 'default__c' }] }),
    s('version', '版本', 'number', { decimal_places: 0 }),
    s('object_describe_api_name', '对象', 'text'),
  );
  return out;
}

/** Builds an object describe: table fields, `remark` where §7.1 says, custom fields, then system fields. */
export function buildObject(
  api: string,
  display: string,
  specs: Spec[],
  opts: { remark?: boolean; master?: ObjectDef['master']; readOnly?: boolean; custom?: boolean } = {},
): ObjectDef {
  const fields = new Map<string, FieldDef>();
  const define = opts.custom ? 'custom' : 'package';
  for (const [a, l, t, e] of specs) fields.set(a, field(a, l, t, define, e));
  if (opts.remark !== false) fields.set('remark', field('remark', '备注', 'long_text', define));
  for (const f of systemFields(opts.master !== undefined)) fields.set(f.api_name, f);
  return {
    api_name: api,
    display_name: display,
    define_type: define,
    fields,
    ...(opts.master ? { master: opts.master } : {}),
    ...(opts.readOnly ? { readOnly: true } : {}),
  };
}

/** Adds a custom field before the system fields (the describe lists business fields first). */
export function addField(obj: ObjectDef, f: FieldDef): void {
  const entries = [...obj.fields.entries()];
  const firstSystem = entries.findIndex(([, v]) => v.define_type === 'system');
  const at = firstSystem < 0 ? entries.length : firstSystem;
  entries.splice(at, 0, [f.api_name, f]);
  obj.fields = new Map(entries);
}

export function customField(
  def: Omit<FieldDef, 'define_type' | 'is_unique' | 'is_readonly' | 'is_active'>,
): FieldDef {
  const { api_name, label, type, ...rest } = def;
  return field(api_name, label, type, 'custom', rest);
}

const ref = (target: string, extra?: Partial<FieldDef>): Partial<FieldDef> => ({
  target_api_name: target,
  ...extra,
});

/** The shipped objects, in §7 order (which is also the object list order). */
export function shippedObjects(): ObjectDef[] {
  return [
    buildObject('AccountObj', '客户', [
      ['name', '客户名称', 'text', REQ],
      ['account_no', '客户编号', 'text'],
      [
        'account_type',
        '客户类型',
        'select_one',
        {
          options: [
            { label: '普通客户', value: '1' },
            { label: '重要客户', value: '2' },
            { label: '合作伙伴', value: '3' },
          ],
        },
      ],
      [
        'deal_status',
        '成交状态',
        'select_one',
        {
          ...RO,
          default_value: '1',
          options: [
            { label: '未成交', value: '1' },
            { label: '已成交', value: '2' },
            { label: '多次成交', value: '3' },
          ],
        },
      ],
      ['last_deal_closed_time', '最后成交时间', 'date_time', RO],
      ['address', '详细地址', 'text'],
      ['tel', '电话', 'text'],
      ['email', '邮件', 'text'],
    ]),
    buildObject('ProductObj', '产品', [
      ['name', '产品名称', 'text', REQ],
      ['product_code', '产品编码', 'text'],
      ['category', '产品分类', 'select_one', { options: [] }],
      ['unit', '单位', 'select_one', { options: [] }],
      ['price', '标准价格', 'currency', { ...REQ, decimal_places: 2 }],
      [
        'product_status',
        '上下架状态',
        'select_one',
        {
          ...REQ,
          default_value: '1',
          options: [
            { label: '已上架', value: '1' },
            { label: '已下架', value: '2' },
            { label: '已作废', value: '99' },
          ],
        },
      ],
    ]),
    buildObject(
      'ProductCategoryObj',
      '产品分类',
      [
        ['name', '分类名称', 'text'],
        ['code', '分类编码', 'text'],
        ['pid', '上级分类', 'object_reference', ref('ProductCategoryObj')],
        ['order_field', '排序', 'number', { decimal_places: 0 }],
      ],
      { remark: false, readOnly: true },
    ),
    buildObject('UnitInfoObj', '单位', [
      ['name', '单位名称', 'text', { ...REQ, is_unique: true }],
      ['unit_code', '单位编码', 'text'],
    ]),
    buildObject('WarehouseObj', '仓库', [
      ['name', '仓库名称', 'text', REQ],
      ['number', '仓库编号', 'text'],
      ['address', '仓库地址', 'text'],
      ['is_enable', '启用', 'true_or_false', { default_value: true }],
    ]),
    buildObject('SalesOrderObj', '销售订单', [
      ['name', '销售订单编号', 'auto_number', RO],
      ['account_id', '客户名称', 'object_reference', ref('AccountObj', REQ)],
      ['order_time', '下单日期', 'date', REQ],
      ['delivery_date', '交货日期', 'date'],
      ['product_amount', '产品合计', 'currency', RO],
      ['order_amount', '销售订单金额', 'currency', RO],
    ]),
    buildObject(
      'SalesOrderProductObj',
      '订单产品',
      [
        ['name', '编号', 'auto_number', RO],
        ['order_id', '销售订单', 'master_detail', ref('SalesOrderObj', RO)],
        ['product_id', '产品名称', 'object_reference', ref('ProductObj', REQ)],
        ['quantity', '数量', 'number', { ...REQ, decimal_places: 2 }],
        ['sales_price', '销售单价', 'currency', REQ],
        ['unit', '单位', 'select_one', { ...RO, options: [] }],
        ['subtotal', '小计', 'currency', RO],
      ],
      { master: { objectApiName: 'SalesOrderObj', linkField: 'order_id' } },
    ),
    buildObject('PaymentObj', '回款', [
      ['name', '回款编号', 'auto_number', RO],
      ['account_id', '客户名称', 'object_reference', ref('AccountObj', REQ)],
      ['payment_time', '回款日期', 'date', REQ],
      ['payment_amount', '回款金额', 'currency', REQ],
    ]),
    buildObject(
      'OrderPaymentObj',
      '回款明细',
      [
        ['name', '编号', 'auto_number', RO],
        ['payment_id', '回款', 'master_detail', ref('PaymentObj', RO)],
        ['order_id', '销售订单', 'object_reference', ref('SalesOrderObj', REQ)],
        ['payment_amount', '本次回款金额', 'currency', REQ],
      ],
      { master: { objectApiName: 'PaymentObj', linkField: 'payment_id' } },
    ),
    buildObject('DeliveryNoteObj', '发货单', [
      ['name', '发货单编号', 'auto_number', RO],
      ['sales_order_id', '销售订单', 'object_reference', ref('SalesOrderObj', { ...REQ, createOnly: true })],
      ['account_id', '客户名称', 'object_reference', ref('AccountObj', RO)],
      ['delivery_date', '发货日期', 'date', REQ],
      ['delivery_warehouse_id', '发货仓库', 'object_reference', ref('WarehouseObj')],
      ['total_delivery_money', '发货总金额', 'currency', RO],
      [
        'status',
        '状态',
        'select_one',
        {
          ...REQ,
          default_value: 'has_delivered',
          writableOptions: ['un_delivery', 'has_delivered', 'received'],
          options: [
            { label: '未发货', value: 'un_delivery' },
            { label: '审核中', value: 'in_approval' },
            { label: '已发货', value: 'has_delivered' },
            { label: '变更中', value: 'changing' },
            { label: '已作废', value: 'invalid' },
            { label: '已收货', value: 'received' },
          ],
        },
      ],
    ]),
    buildObject(
      'DeliveryNoteProductObj',
      '发货单产品',
      [
        ['name', '编号', 'auto_number', RO],
        ['delivery_note_id', '发货单', 'master_detail', ref('DeliveryNoteObj', RO)],
        ['sales_order_id', '销售订单', 'object_reference', ref('SalesOrderObj', RO)],
        ['product_id', '产品名称', 'object_reference', ref('ProductObj', REQ)],
        ['delivery_num', '本次发货数', 'number', { ...REQ, decimal_places: 2 }],
        ['delivery_money', '本次发货金额', 'currency'],
      ],
      { master: { objectApiName: 'DeliveryNoteObj', linkField: 'delivery_note_id' } },
    ),
    buildObject(
      'StockObj',
      '库存',
      [
        ['name', '库存ID', 'auto_number', RO],
        ['product_id', '产品名称', 'object_reference', ref('ProductObj', { ...REQ, createOnly: true })],
        ['warehouse_id', '仓库', 'object_reference', ref('WarehouseObj', { ...REQ, createOnly: true })],
        ['real_stock', '实际库存', 'number', { ...REQ, decimal_places: 2 }],
        ['available_stock', '可用库存', 'number', { decimal_places: 2 }],
      ],
      { remark: false },
    ),
  ];
}

/** Objects whose rows need at least one line (§7.7, §7.11). */
export const NEEDS_ROWS = new Set(['SalesOrderObj', 'DeliveryNoteObj']);

export const isCustomApiName = (api: string): boolean => api.endsWith('__c');

/** The describe field as JSON: the documented keys only, internal flags dropped. */
export function fieldJson(f: FieldDef, options?: FieldOption[]): Record<string, unknown> {
  const out: Record<string, unknown> = {
    api_name: f.api_name,
    label: f.label,
    type: f.type,
    define_type: f.define_type,
    is_required: f.is_required,
    is_unique: f.is_unique,
    is_readonly: f.is_readonly,
    is_active: f.is_active,
  };
  if (f.type === 'select_one') out.options = (options ?? f.options ?? []).map((o) => ({ ...o }));
  if (f.target_api_name !== undefined) out.target_api_name = f.target_api_name;
  if (f.decimal_places !== undefined) out.decimal_places = f.decimal_places;
  if (f.max_length !== undefined) out.max_length = f.max_length;
  if (f.default_value !== undefined) out.default_value = f.default_value;
  if (f.help_text !== undefined) out.help_text = f.help_text;
  return out;
}
