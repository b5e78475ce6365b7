/** Demo seed data for the CRM sandbox, matching the story shared with the Jingdouyun sandbox. */
import {
  FX_APP,
  FX_TENANTS,
  PEOPLE,
  SHARED_CUSTOMER_NAMES,
  SHARED_PRODUCT_CODE,
} from '../../../demo/story.js';

type JsonRecord = Record<string, unknown>;

/** The body of `POST /__sandbox/seed` (§11.2). */
export interface FxSeedBody {
  tenants?: JsonRecord[];
  departments?: JsonRecord[];
  users?: JsonRecord[];
  objects?: JsonRecord[];
  fields?: JsonRecord[];
  files?: JsonRecord[];
  productCategories?: JsonRecord[];
  records?: {
    corpId: string;
    objectApiName: string;
    record: JsonRecord;
    details?: Record<string, JsonRecord[]>;
  }[];
}

/** Stable user ids so demo links and tests can name people. */
const uid = (tenant: number, n: number): string =>
  `FSUID_${String(tenant).padStart(2, '0')}${String(n).padStart(30, '0')}`;

export function demoSeed(opts: { pluginUrl: string }): FxSeedBody {
  const base = opts.pluginUrl.replace(/\/+$/, '');
  const main = FX_TENANTS.main.corpId;
  const other = FX_TENANTS.other.corpId;
  const tenant = (t: (typeof FX_TENANTS)[keyof typeof FX_TENANTS], metadataWritePermission: boolean) => ({
    corpId: t.corpId,
    name: t.name,
    permanentCode: t.permanentCode,
    ...FX_APP,
    callbackUrl: `${base}/fxiaoke/callback`,
    entryUrl: `${base}/app/entry`,
    authorized: true,
    metadataWritePermission,
    approvalObjects: [],
    dailyQuota: null,
  });
  const departments = [
    { corpId: main, id: 1001, name: '销售部', parentId: 999999, order: 1 },
    { corpId: main, id: 1002, name: '市场部', parentId: 999999, order: 2 },
    { corpId: main, id: 1003, name: '财务部', parentId: 999999, order: 3 },
    { corpId: other, id: 2001, name: '业务部', parentId: 999999, order: 1 },
  ];
  // Admins sit in 财务部; the rest alternate between 销售部 and 市场部.
  const crmPeople = PEOPLE.filter((p) => p.crmMobile !== null);
  const users: JsonRecord[] = crmPeople.map((p, i) => {
    const dept = p.crmAdmin ? 1003 : i % 2 === 0 ? 1001 : 1002;
    return {
      corpId: main,
      openUserId: uid(1, i + 1),
      name: p.name,
      mobile: p.crmMobile as string,
      isCrmAdmin: p.crmAdmin,
      mainDepartmentId: dept,
      departmentIds: [dept],
      employeeNumber: p.jdyNumber ?? '',
    };
  });
  users.push(
    {
      corpId: other,
      openUserId: uid(2, 1),
      name: '郑海',
      mobile: '13722220001',
      isCrmAdmin: true,
      mainDepartmentId: 2001,
      departmentIds: [2001],
      employeeNumber: '',
    },
    {
      corpId: other,
      openUserId: uid(2, 2),
      name: '钱蓉',
      mobile: '13722220002',
      isCrmAdmin: false,
      mainDepartmentId: 2001,
      departmentIds: [2001],
      employeeNumber: '',
    },
  );
  const account = (corpId: string, name: string, extra: JsonRecord = {}) => ({
    corpId,
    objectApiName: 'AccountObj',
    record: { name, ...extra },
  });
  return {
    tenants: [tenant(FX_TENANTS.main, true), tenant(FX_TENANTS.other, false)],
    departments,
    users,
    records: [
      ...SHARED_CUSTOMER_NAMES.map((n) => account(main, n, { account_type: '2', tel: '021-5555 0000' })),
      account(main, '北京京客隆商业集团', { account_type: '1', address: '北京市朝阳区' }),
      account(main, '苏州美食林餐饮管理有限公司', { account_type: '1' }),
      {
        corpId: main,
        objectApiName: 'ProductObj',
        record: {
          name: '醇香干红葡萄酒 750ml',
          product_code: SHARED_PRODUCT_CODE,
          price: '128.00',
          product_status: '1',
        },
      },
      account(other, '舟山渔港水产有限公司'),
      account(other, '宁波海天餐饮集团'),
    ],
  };
}
