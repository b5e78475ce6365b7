// The CRM's own words for objects, directions and states (sync-rules.md), in one place.

/** Object keys of the plugin API, in dependency order, with their CRM names. */
export const OBJECTS = [
  ['customerCategory', '客户分类'],
  ['warehouse', '仓库'],
  ['productCategory', '产品分类'],
  ['unit', '单位'],
  ['product', '产品'],
  ['customer', '客户'],
  ['salesOrder', '销售订单'],
  ['payment', '回款'],
  ['deliveryNote', '发货单'],
  ['inventory', '库存'],
];
const OBJECT_NAMES = Object.fromEntries(OBJECTS);
export const objectName = (key) => OBJECT_NAMES[key] ?? key;

export const DIRECTIONS = [
  ['jdy_to_crm', '精斗云 → 纷享'],
  ['crm_to_jdy', '纷享 → 精斗云'],
];
const DIRECTION_NAMES = Object.fromEntries(DIRECTIONS);
export const directionName = (key) => DIRECTION_NAMES[key] ?? key;

/** Record statuses: label and tag colour. */
export const STATUSES = [
  ['synced', '已同步', 'ok'],
  ['failed', '失败', 'danger'],
  ['waiting', '等待中', 'warn'],
  ['pending', '待同步', 'info'],
  ['skipped', '已跳过', ''],
];
export const statusOf = (key) => STATUSES.find((s) => s[0] === key) ?? [key, key, ''];

export const RUN_STATUSES = {
  queued: ['排队中', 'info'],
  running: ['进行中', 'info'],
  completed: ['已完成', 'ok'],
  completed_with_errors: ['完成（有失败）', 'warn'],
  failed: ['失败', 'danger'],
};

export const RUN_TRIGGERS = {
  initial: '首次导入',
  timed: '定时同步',
  manual: '手动同步',
  event: 'CRM 变更',
  retry: '重新同步',
};

export const ERROR_CLASSES = {
  transient: '临时故障（网络、超时或对方繁忙），会自动重试',
  auth: '授权问题：同步已暂停，需要重新连接精斗云',
  data: '数据或配置问题：修改源数据或设置后点“重新同步”',
  unexpected: '未知错误：请把本页的请求和响应发给技术支持',
};

export const BINDING_SOURCES = { auto: '按手机号自动', manual: '手动', import: 'Excel 导入' };

/** The field mapping of sync-rules §5: [CRM field, JDY field] per object. */
export const FIELD_MAPPING = {
  customer: [
    ['客户编号', '客户编码'],
    ['客户名称', '客户名称'],
    ['负责人', '业务员（按员工绑定）'],
    ['详细地址', '详细地址'],
    ['电话', '联系人-手机'],
    ['邮件', '联系人-Email'],
    ['备注', '备注'],
    ['客户分类（预设）', '客户类别'],
  ],
  customerCategory: [
    ['编号', '分类编号'],
    ['名称', '名称'],
    ['上级分类', '父级分类'],
    ['备注', '备注'],
  ],
  product: [
    ['产品编码', '商品编码'],
    ['产品名称', '商品编码 + 空格 + 商品名称'],
    ['产品分类', '商品类别'],
    ['单位', '计量单位（单位组-单位）'],
    ['价格', '零售价（基本单位）'],
    ['上下架', '启用 / 禁用'],
    ['品牌（预设）', '品牌'],
  ],
  productCategory: [
    ['分类编码', '分类编码'],
    ['分类名称', '名称'],
    ['上级分类', '父级分类'],
  ],
  unit: [['单位', '单位组-单位 / 单位名称']],
  warehouse: [
    ['仓库编码', '仓库编码'],
    ['仓库名称', '仓库名称'],
    ['启用', '启用'],
  ],
  salesOrder: [
    ['销售订单编号', '单据编号'],
    ['客户', '客户'],
    ['下单日期', '单据日期'],
    ['负责人', '业务员（按员工绑定）'],
    ['交货方式', '交货方式'],
    ['附件同步', '附件'],
    ['交货日期', '预计交货日期'],
    ['备注', '备注'],
    ['订单产品：产品名称 / 数量 / 销售单价 / 单位 / 发货仓库', '商品 / 数量 / 单价 / 单位 / 仓库'],
  ],
  payment: [
    ['客户名称', '客户'],
    ['负责人', '业务员（按员工绑定）'],
    ['回款日期', '修改日期（审核时间）'],
    ['回款明细：销售订单号 / 本次回款金额', '订单编号 / 订单金额'],
  ],
  deliveryNote: [
    ['负责人', '业务员'],
    ['备注', '备注'],
    ['发货日期', '出库单日期'],
    ['销售订单号', '销售订单号'],
    ['客户名称', '客户'],
    ['发货总金额', '本次应收账款'],
    ['发货单产品：产品 / 本次发货数 / 本次发货金额', '商品 / 数量 / 发货金额'],
  ],
  inventory: [
    ['仓库', '仓库'],
    ['产品', '商品'],
    ['可用库存', '即时库存可用量'],
    ['实际库存', '即时库存数量（基本单位）'],
  ],
};

export const CRM_OBJECTS = {
  ProductObj: '产品',
  AccountObj: '客户',
  SalesOrderObj: '销售订单',
  SalesOrderProductObj: '订单产品',
  WarehouseObj: '仓库',
  object_customer_category__c: '客户分类（自定义对象）',
};
export const crmObjectName = (apiName) =>
  CRM_OBJECTS[apiName] ? `${CRM_OBJECTS[apiName]}（${apiName}）` : apiName;

export const FIELD_TYPES = {
  text: '单行文本',
  long_text: '多行文本',
  lookup: '查找关联',
  object_reference: '查找关联',
  select_one: '单选',
  file_attachment: '附件',
  object: '自定义对象',
};
