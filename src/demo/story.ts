/**
 * The demo story shared by both sandboxes' seed data, so that the people and the customers of the
 * Jingdouyun account set and of the CRM enterprise match the way a real wholesaler's would.
 *
 * 杭州醇香酒业有限公司, a wine and beverage wholesaler, keeps its books in Jingdouyun and its sales
 * in Fxiaoke. Mobiles are chosen to exercise the binding rules:
 * - 7 people exist on both sides with the same mobile (周杰's is written "+86 139 1111 0008" in JDY);
 * - 吴刚 exists only in Jingdouyun (no CRM user: auto-binding leaves him for the admin);
 * - 孙丽 exists only in the CRM.
 */
export interface StoryPerson {
  name: string;
  /** The mobile as each system stores it (null: the person is not in that system). */
  jdyMobile: string | null;
  crmMobile: string | null;
  jdyNumber: string | null;
  crmAdmin: boolean;
}

export const COMPANY = '杭州醇香酒业有限公司';

export const PEOPLE: readonly StoryPerson[] = [
  { name: '王建国', jdyMobile: '13911110001', crmMobile: '13911110001', jdyNumber: 'EMP001', crmAdmin: true },
  { name: '李秀英', jdyMobile: '13911110002', crmMobile: '13911110002', jdyNumber: 'EMP002', crmAdmin: true },
  { name: '张伟', jdyMobile: '13911110003', crmMobile: '13911110003', jdyNumber: 'EMP003', crmAdmin: false },
  { name: '刘洋', jdyMobile: '13911110004', crmMobile: '13911110004', jdyNumber: 'EMP004', crmAdmin: false },
  { name: '陈静', jdyMobile: '13911110005', crmMobile: '13911110005', jdyNumber: 'EMP005', crmAdmin: false },
  { name: '杨磊', jdyMobile: '13911110006', crmMobile: '13911110006', jdyNumber: 'EMP006', crmAdmin: false },
  { name: '赵敏', jdyMobile: '13911110007', crmMobile: '13911110007', jdyNumber: 'EMP007', crmAdmin: false },
  {
    name: '周杰',
    jdyMobile: '+86 139 1111 0008',
    crmMobile: '13911110008',
    jdyNumber: 'EMP008',
    crmAdmin: false,
  },
  { name: '吴刚', jdyMobile: '13911110009', crmMobile: null, jdyNumber: 'EMP009', crmAdmin: false },
  { name: '孙丽', jdyMobile: null, crmMobile: '13911110010', jdyNumber: null, crmAdmin: false },
];

/** The Jingdouyun login the demo prints; it is a member of both account sets. */
export const JDY_DEMO_LOGIN = { mobile: '13800000001', password: 'demo1234', nickname: '王建国' } as const;

/** The Jingdouyun account sets: the first has authorised the plugin's app, the second has not. */
export const JDY_ACCOUNT_SETS = {
  main: {
    accountId: '1580000000001',
    accountName: '醇香酒业-正式账套',
    domain: 'https://tf.jdy.com',
    groupName: 'tf01',
  },
  trial: {
    accountId: '1580000000002',
    accountName: '醇香酒业-测试账套',
    domain: 'https://tf.jdy.com',
    groupName: 'tf01',
  },
} as const;

/** The plugin's Jingdouyun app (operator configuration) as the sandbox knows it. */
export const JDY_APP = {
  clientId: 'jdy-demo-app',
  clientSecret: '0123456789abcdef0123456789abcdef',
} as const;

/** The plugin's Fxiaoke app-center app as the CRM sandbox knows it. */
export const FX_APP = {
  appId: 'FSAID_JDYCONNECTOR',
  appSecret: 'demoAppSecret0123456789',
  token: 'demoSigningToken',
  encodingAesKey: 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8',
} as const;

/** The two CRM enterprises: the demo one, and a second one used to prove tenant isolation. */
export const FX_TENANTS = {
  main: {
    corpId: 'FSCID_0A1B2C3D4E5F60718293A4B5C6D7E8F9',
    name: COMPANY,
    permanentCode: 'PC_DEMO_MAIN_0001',
  },
  other: {
    corpId: 'FSCID_FFEEDDCCBBAA99887766554433221100',
    name: '宁波海鲜贸易有限公司',
    permanentCode: 'PC_DEMO_OTHER_0001',
  },
} as const;

/** Customers that exist in both systems under the same name (the first run links, never duplicates). */
export const SHARED_CUSTOMER_NAMES = ['上海华联超市有限公司', '杭州联华华商集团'] as const;

/** A product that already exists in the CRM with the same 产品编码 as in Jingdouyun (linked, then updated). */
export const SHARED_PRODUCT_CODE = 'JD0001';
