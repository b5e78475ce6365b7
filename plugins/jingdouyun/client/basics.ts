import { JdyResource } from './resource.js';
import type { JdySession } from './transport.js';
import type {
  JdyEmployeeDetail,
  JdyEmployeeRow,
  JdyEmployeeSave,
  JdyStoreDetail,
  JdyStoreRow,
  JdyStoreSave,
} from './types.js';

export type JdyEnableFilter = { search?: string; enable?: '1' | '0' | '-1' };

export type JdyStores = JdyResource<JdyStoreRow, JdyStoreDetail, JdyStoreSave, JdyEnableFilter>;
export type JdyEmployees = JdyResource<JdyEmployeeRow, JdyEmployeeDetail, JdyEmployeeSave, JdyEnableFilter>;

export const stores = (session: JdySession): JdyStores =>
  new JdyResource(session, {
    entityNumber: 'bd_store',
    path: '/jdy/v2/bd/store',
    detailPath: '/jdy/v2/bd/store_detail',
    numberField: 'number',
    hasEnableFilter: true,
  });

/** Employees: the product binds CRM users to them by `mobile`. */
export const employees = (session: JdySession): JdyEmployees =>
  new JdyResource(session, {
    entityNumber: 'bd_employee',
    path: '/jdy/v2/bd/emp',
    detailPath: '/jdy/v2/bd/emp_detail',
    numberField: 'number',
    hasEnableFilter: true,
  });
