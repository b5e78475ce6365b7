import {
  COMPANY,
  JDY_ACCOUNT_SETS,
  JDY_APP,
  JDY_DEMO_LOGIN,
  PEOPLE,
  SHARED_CUSTOMER_NAMES,
} from '../../../../src/demo/story.js';
import type { SeedBody, SeedRecord } from './types.js';

export type { SeedBody } from './types.js';

/** The authorisation of the main account set for the plugin's app (§2.4). */
export const DEMO_AUTHORIZATION = {
  appKey: 'jdy-demo-appkey-main',
  appSecret: 'jdy-demo-appsecret-main-000000001',
} as const;

/** A second login whose username is not a mobile number (§2.2 rule 3). */
export const DEMO_EMAIL_LOGIN = {
  username: 'demo@example.com',
  password: 'demo1234',
  nickname: '李秀英',
} as const;

/**
 * Demo records carry fixed ids far above the generator's start, each followed by room for its line
 * ids (the generator issues header + 1, + 2 … right after a seeded id), so bills can link to order
 * lines and arap bills can name customers and employees by id.
 */
const ID_BASE = 180000000000000000n;
let slot = 0;
const nextId = (): string => (ID_BASE + BigInt(++slot) * 100n).toString();
const lineId = (headerId: string, index: number): string => (BigInt(headerId) + BigInt(index + 1)).toString();

const PRODUCTS: [
  name: string,
  brand: string | null,
  group: string | null,
  unit: string,
  retail: string,
  trade: string,
][] = [
  ['贵州茅台酒 飞天 53度 500ml', 'B01', 'MG0101', 'U01', '2999', '2699'],
  ['茅台王子酒 酱门经典 53度 500ml', 'B01', 'MG0101', 'U01', '298', '258'],
  ['五粮液 第八代 52度 500ml', 'B02', 'MG0102', 'U01', '1399', '1199'],
  ['五粮春 45度 500ml', 'B02', 'MG0102', 'U01', '268', '228'],
  ['泸州老窖 特曲 52度 500ml', 'B03', 'MG0102', 'U01', '328', '288'],
  ['国窖1573 经典装 52度 500ml', 'B03', 'MG0102', 'U01', '1099', '969'],
  ['泸州老窖 头曲 52度 500ml×6', 'B03', 'MG0102', 'U02', '588', '528'],
  ['茅台迎宾酒 53度 500ml×6', 'B01', 'MG0101', 'U02', '780', '690'],
  ['张裕 第九代解百纳干红 750ml', 'B04', 'MG0201', 'U01', '168', '138'],
  ['张裕 醉诗仙雷司令干白 750ml', 'B04', 'MG0202', 'U01', '98', '79'],
  ['长城 五星赤霞珠干红 750ml', 'B05', 'MG0201', 'U01', '89', '72'],
  ['长城 海岸霞多丽干白 750ml', 'B05', 'MG0202', 'U01', '69', '55'],
  ['张裕 爱斐堡干红 750ml×6', 'B04', 'MG0201', 'U02', '1188', '1020'],
  ['长城 华夏葡园九二干红 750ml', 'B05', 'MG0201', 'U01', '128', '106'],
  ['青岛啤酒 经典 500ml×12', 'B06', 'MG03', 'U02', '66', '55'],
  ['青岛啤酒 纯生 500ml×12', 'B06', 'MG03', 'U02', '78', '65'],
  ['雪花啤酒 勇闯天涯 500ml×12', 'B07', 'MG03', 'U02', '52', '43'],
  ['雪花啤酒 纯生 500ml×12', 'B07', 'MG03', 'U02', '60', '50'],
  ['青岛啤酒 白啤 500ml', 'B06', 'MG03', 'U01', '8', '6.5'],
  ['农夫山泉 饮用天然水 550ml', 'B08', 'MG0401', 'U03', '2', '1.35'],
  ['农夫山泉 饮用天然水 550ml×24', 'B08', 'MG0401', 'U04', '36', '28.8'],
  ['农夫山泉 NFC橙汁 300ml', 'B08', 'MG0402', 'U03', '6.5', '5.2'],
  ['怡宝 纯净水 555ml', 'B09', 'MG0401', 'U03', '2', '1.3'],
  ['怡宝 纯净水 555ml×24', 'B09', 'MG0401', 'U04', '34', '27.5'],
  ['农夫山泉 17.5°苹果汁 1L', 'B08', 'MG0402', 'U03', '16.8', '13.5'],
  ['怡宝 菊花茶 450ml', 'B09', 'MG04', 'U03', '4', '3.1'],
  ['五粮液 普五 礼盒装 52度 500ml×2', 'B02', 'MG0102', 'U05', '2898', '2498'],
  ['张裕 可雅白兰地 XO 700ml', 'B04', 'MG02', 'U01', '588', '499'],
  ['茅台 醇香老酒 53度 500ml（停售）', 'B01', 'MG0101', 'U01', '199', '169'],
  ['醇香酒业 定制礼品袋', null, null, 'U06', '5', '3'],
];

const CUSTOMERS: [
  name: string,
  group: string,
  saler: string | null,
  addr: string,
  contact: string,
  mobile: string,
][] = [
  [SHARED_CUSTOMER_NAMES[0], 'CG02', 'EMP003', '上海市黄浦区南京东路800号', '周海峰', '13601600001'],
  [SHARED_CUSTOMER_NAMES[1], 'CG02', 'EMP003', '杭州市拱墅区莫干山路1号', '钱立新', '13757100002'],
  ['杭州西湖名酒经营部', 'CG0101', 'EMP004', '杭州市西湖区文三路259号', '孙志强', '13857100003'],
  ['宁波甬港酒类批发有限公司', 'CG0101', 'EMP005', '宁波市海曙区中山西路128号', '徐建明', '13957400004'],
  ['温州鹿城糖酒有限公司', 'CG0101', 'EMP006', '温州市鹿城区人民路66号', '林晓东', '13857700005'],
  ['绍兴越城酒水商行', 'CG0102', 'EMP004', '绍兴市越城区解放北路300号', '沈国华', '13905750006'],
  ['嘉兴南湖佳酿商贸有限公司', 'CG0102', 'EMP005', '嘉兴市南湖区中山东路1166号', '朱美玲', '13867300007'],
  ['湖州吴兴酒业经营部', 'CG0102', 'EMP007', '湖州市吴兴区红旗路88号', '姚春生', '13819200008'],
  ['金华婺城酒类贸易商行', 'CG0102', 'EMP006', '金华市婺城区八一北街555号', '陆小燕', '13757900009'],
  ['台州椒江百货酒水批发部', 'CG0102', 'EMP007', '台州市椒江区市府大道400号', '潘志伟', '13905760010'],
  ['物美超市（杭州）有限公司', 'CG02', 'EMP003', '杭州市上城区解放路18号', '蒋文静', '13905710011'],
  ['世纪联华（宁波）超市有限公司', 'CG02', 'EMP005', '宁波市江北区人民路233号', '韩丽华', '13968200012'],
  ['大润发（温州）商业有限公司', 'CG02', 'EMP006', '温州市瓯海区温州大道1500号', '曹永刚', '13806600013'],
  ['楼外楼餐饮管理有限公司', 'CG03', 'EMP004', '杭州市西湖区孤山路30号', '邹红梅', '13605710014'],
  ['知味观餐饮连锁有限公司', 'CG03', 'EMP004', '杭州市上城区仁和路83号', '汪德胜', '13905710015'],
  ['外婆家餐饮集团有限公司', 'CG03', 'EMP007', '杭州市西湖区文二西路5号', '傅晓琳', '13757100016'],
  ['宁波石浦酒店有限公司', 'CG03', 'EMP005', '宁波市鄞州区四明中路999号', '叶建国', '13968200017'],
  ['温州五马美食林餐饮有限公司', 'CG03', 'EMP008', '温州市鹿城区五马街18号', '戴伟民', '13858800018'],
  ['杭州滨江小林烟酒店', 'CG0102', null, '杭州市滨江区江南大道3688号', '林小军', '13588800019'],
  ['义乌福田酒水贸易有限公司', 'CG0101', 'EMP009', '义乌市福田街道商城大道88号', '方建华', '13957900020'],
];

/** The demo account sets of 杭州醇香酒业, their users and the main account set's business data. */
export function demoSeed(): SeedBody {
  slot = 0;
  const main = JDY_ACCOUNT_SETS.main.accountId;
  const records: SeedRecord[] = [];
  const ids = new Map<string, string>();
  const add = (entity: string, data: Record<string, unknown>, key?: string): string => {
    const id = nextId();
    if (key) ids.set(key, id);
    // Bills carry times of their own day, so the demo history does not all happen "now".
    const times =
      typeof data.bill_date === 'string'
        ? { create_time: `${data.bill_date} 09:30:00`, modify_time: `${data.bill_date} 10:00:00` }
        : {};
    records.push({ account_id: main, entity, data: { id, ...data, ...times } });
    return id;
  };
  const id = (key: string): string => ids.get(key)!;

  PEOPLE.filter((p) => p.jdyMobile !== null).forEach((p, i) =>
    add(
      'bd_employee',
      {
        number: p.jdyNumber,
        name: p.name,
        mobile: p.jdyMobile,
        email: `emp${String(i + 1).padStart(3, '0')}@chunxiang-wine.cn`,
      },
      p.jdyNumber!,
    ),
  );

  for (const [number, name, parent] of [
    ['CG01', '经销商', null],
    ['CG0101', '一级经销商', 'CG01'],
    ['CG0102', '二级经销商', 'CG01'],
    ['CG02', '商超', null],
    ['CG03', '餐饮', null],
  ] as const) {
    add('bd_customergroup', { number, name, ...(parent ? { parent_number: parent } : {}) }, number);
  }
  for (const [number, name, parent] of [
    ['MG01', '白酒', null],
    ['MG0101', '酱香型白酒', 'MG01'],
    ['MG0102', '浓香型白酒', 'MG01'],
    ['MG02', '葡萄酒', null],
    ['MG0201', '红葡萄酒', 'MG02'],
    ['MG0202', '白葡萄酒', 'MG02'],
    ['MG03', '啤酒', null],
    ['MG04', '饮料', null],
    ['MG0401', '饮用水', 'MG04'],
    ['MG0402', '果汁', 'MG04'],
  ] as const) {
    add('bd_materialgroup', { number, name, ...(parent ? { parent_number: parent } : {}) }, number);
  }
  const wine = { group_id: '1800000000000000001', group_number: 'UG01', group_name: '酒' };
  const drink = { group_id: '1800000000000000002', group_number: 'UG02', group_name: '饮料' };
  for (const [number, name, group] of [
    ['U01', '支', wine],
    ['U02', '箱', wine],
    ['U03', '瓶', drink],
    ['U04', '箱', drink],
    ['U05', '件', null],
    ['U06', '个', null],
  ] as const) {
    add('bd_measureunits_new', { number, name, precision: 0, ...(group ?? {}) }, number);
  }
  for (const [number, name] of [
    ['B01', '茅台'],
    ['B02', '五粮液'],
    ['B03', '泸州老窖'],
    ['B04', '张裕'],
    ['B05', '长城'],
    ['B06', '青岛'],
    ['B07', '雪花'],
    ['B08', '农夫山泉'],
    ['B09', '怡宝'],
  ] as const) {
    add('bd_brand', { number, name }, number);
  }
  add(
    'bd_store',
    { number: 'WH01', name: '杭州总仓', address: '杭州市余杭区仓前街道良睦路1399号', remark: '主仓' },
    'WH01',
  );
  add('bd_store', { number: 'WH02', name: '宁波分仓', address: '宁波市北仑区新碶街道明州路500号' }, 'WH02');
  add('bd_store', { number: 'WH03', name: '温州分仓', address: '温州市龙湾区永中街道永定路200号' }, 'WH03');

  PRODUCTS.forEach(([name, brand, group, unit, retail, trade], i) => {
    const number = `JD${String(i + 1).padStart(4, '0')}`;
    add(
      'bd_material',
      {
        number,
        name,
        base_unit_id: id(unit),
        ...(group ? { parent_number: group } : {}),
        ...(brand ? { brand_number: brand } : {}),
        model: name.split(' ').slice(1).join(' '),
        barcode: `69${String(20240000000 + i * 7919).padStart(11, '0')}`,
        remark: i === 0 ? '与CRM产品编码一致' : '',
        // JD0029 is discontinued: disabled, still listed with enable=-1.
        ...(i === 28 ? { enable: '0' } : {}),
        price_entity: [
          { price_retail_price: retail, price_trade_price: trade, price_min_sales_price: trade },
        ],
      },
      number,
    );
  });

  CUSTOMERS.forEach(([name, group, saler, addr, contact, mobile], i) => {
    const number = `KH${String(i + 1).padStart(4, '0')}`;
    add(
      'bd_customer',
      {
        number,
        name,
        group_number: group,
        ...(saler ? { saler_number: saler } : {}),
        addr,
        taxpayer_no: `91330${String(100000000000 + i * 104729).padStart(13, '0')}`,
        bank: '中国工商银行杭州分行',
        bank_account: `1202${String(20000000000000 + i * 7001).padStart(15, '0')}`,
        contact_persons: [
          {
            contact_person: contact,
            mobile,
            email: `kh${String(i + 1).padStart(4, '0')}@example.cn`,
            contact_address: addr,
            gender: i % 3 === 2 ? '2' : '1',
            is_default_linkman: true,
          },
        ],
      },
      number,
    );
  });

  // Stock for most (product, warehouse) pairs, before any bill moves it.
  PRODUCTS.forEach((_, i) => {
    const number = `JD${String(i + 1).padStart(4, '0')}`;
    for (const [w, store] of ['WH01', 'WH02', 'WH03'].entries()) {
      if (i >= 28 || (w > 0 && (i + w) % 7 === 6)) continue;
      records.push({
        account_id: main,
        entity: 'inventory',
        data: { material_number: number, stock_number: store, qty: String(((i * 37 + w * 53) % 180) + 60) },
      });
    }
  });

  const line = (
    material: string,
    qty: string,
    price: string,
    stock: string | null,
    extra: Record<string, unknown> = {},
  ) => ({
    material_number: material,
    unit_id: id(PRODUCTS[Number(material.slice(2)) - 1]![3]),
    qty,
    price,
    is_free: false,
    ...(stock ? { stock_number: stock } : {}),
    ...extra,
  });
  const order = (key: string, data: Record<string, unknown>) => add('sal_bill_order', data, key);

  const o1 = order('O1', {
    bill_no: 'XSDD-20250303-00001',
    bill_date: '2025-03-03',
    customer_number: 'KH0001',
    emp_number: 'EMP003',
    delivery_type_id: '8',
    contact_linkman: '周海峰',
    contact_phone: '13601600001',
    contact_address: '上海市黄浦区南京东路800号',
    remark: '三月常规补货',
    material_entity: [
      line('JD0001', '10', '2699', 'WH01', { delivery_date: '2025-03-06' }),
      line('JD0011', '24', '72', 'WH01'),
    ],
    bill_status: 'C',
  });
  const o2 = order('O2', {
    bill_no: 'XSDD-20250305-00001',
    bill_date: '2025-03-05',
    customer_number: 'KH0001',
    emp_number: 'EMP003',
    delivery_type_id: '8',
    material_entity: [
      line('JD0021', '50', '28.8', 'WH01'),
      line('JD0020', '24', '0', 'WH01', { is_free: true, comment: '赠品' }),
    ],
    bill_status: 'C',
  });
  const o3 = order('O3', {
    bill_no: 'XSDD-20250310-00001',
    bill_date: '2025-03-10',
    customer_number: 'KH0002',
    emp_number: 'EMP003',
    delivery_type_id: '6',
    material_entity: [line('JD0003', '12', '1199', 'WH02'), line('JD0009', '36', '138', 'WH02')],
    bill_status: 'C',
  });
  order('O4', {
    bill_no: 'XSDD-20250312-00001',
    bill_date: '2025-03-12',
    customer_number: 'KH0014',
    emp_number: 'EMP004',
    delivery_type_id: '9',
    remark: '待审核：清明节宴席用酒',
    material_entity: [line('JD0006', '6', '969', 'WH01'), line('JD0015', '20', '55', 'WH01')],
  });
  order('O5', {
    bill_no: 'XSDD-20250314-00001',
    bill_date: '2025-03-14',
    customer_number: 'KH0005',
    emp_number: 'EMP006',
    material_entity: [line('JD0017', '100', '43', null), line('JD0024', '40', '27.5', null)],
  });

  // One audited outbound merging O1 (partly) and O2 (fully) of the same customer.
  const ob = add('sal_bill_outbound', {
    bill_no: 'XSCK-20250306-00001',
    bill_date: '2025-03-06',
    customer_number: 'KH0001',
    emp_number: 'EMP003',
    remark: '合并出库：XSDD-20250303-00001、XSDD-20250305-00001',
    material_entity: [
      line('JD0001', '6', '2699', 'WH01', src(o1, 0)),
      line('JD0011', '24', '72', 'WH01', src(o1, 1)),
      line('JD0021', '50', '28.8', 'WH01', src(o2, 0)),
      line('JD0020', '24', '0', 'WH01', { is_free: true, ...src(o2, 1) }),
    ],
    bill_status: 'C',
  });
  // Outbound total 16194 + 1728 + 1440 = 19362; the receipt settles 10000 of it.
  add('ar_creditbill', {
    bill_no: 'SKD-20250315-00001',
    bill_date: '2025-03-15',
    customer_id: id('KH0001'),
    emp_id: id('EMP003'),
    remark: '华联三月货款（部分）',
    pay_entry_list: [{ amount: '10000', settle_account_id: 'ACCT-ICBC-01', comment: '银行转账' }],
    source_bill_entry_list: [
      { src_bill_type_id: 'sal_bill_outbound', src_bill_id: ob, cur_settle_amount: '10000' },
    ],
    bill_status: 'C',
  });
  add('ar_precreditbill', {
    bill_no: 'YSKD-20250311-00001',
    bill_date: '2025-03-11',
    customer_id: id('KH0002'),
    dept_id: 'DEPT-SALES-01',
    emp_id: id('EMP003'),
    remark: '联华订单预付款',
    pay_entry_list: [{ amount: '5000', settle_account_id: 'ACCT-ICBC-01' }],
    sel_bill_info_entry: [
      { src_bill_type_id: 'sal_bill_order', src_inter_id: o3, cur_settle_amount: '5000' },
    ],
    bill_status: 'C',
  });

  return {
    apps: [{ client_id: JDY_APP.clientId, client_secret: JDY_APP.clientSecret }],
    users: [
      {
        uid: 10001,
        username: JDY_DEMO_LOGIN.mobile,
        password: JDY_DEMO_LOGIN.password,
        nickname: JDY_DEMO_LOGIN.nickname,
      },
      { uid: 10002, ...DEMO_EMAIL_LOGIN },
    ],
    account_sets: [
      {
        account_id: main,
        account_name: JDY_ACCOUNT_SETS.main.accountName,
        service_id: 'jdy_xc_std',
        group_id: 'grp-tf01',
        group_name: JDY_ACCOUNT_SETS.main.groupName,
        domain: JDY_ACCOUNT_SETS.main.domain,
        members: [10001, 10002],
        admin_uid: 10001,
        authorizations: [
          {
            client_id: JDY_APP.clientId,
            app_key: DEMO_AUTHORIZATION.appKey,
            app_secret: DEMO_AUTHORIZATION.appSecret,
            status: '1',
            outer_instance_id: 'fx-main',
            agreement_company_name: COMPANY,
          },
        ],
      },
      {
        account_id: JDY_ACCOUNT_SETS.trial.accountId,
        account_name: JDY_ACCOUNT_SETS.trial.accountName,
        service_id: 'jdy_xc_std',
        group_id: 'grp-tf01',
        group_name: JDY_ACCOUNT_SETS.trial.groupName,
        domain: JDY_ACCOUNT_SETS.trial.domain,
        members: [10001],
        admin_uid: 10001,
      },
    ],
    records,
  };

  function src(orderId: string, index: number): Record<string, unknown> {
    return {
      src_bill_type_id: 'sal_bill_order',
      src_inter_id: orderId,
      src_entry_id: lineId(orderId, index),
    };
  }
}
