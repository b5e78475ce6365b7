import { fxUsageError } from './errors.js';
import type { FxTenantAuth, FxTransport, Json } from './transport.js';

/** A CRM employee (§4). */
export interface FxUser {
  openUserId: string;
  name: string;
  nickName: string;
  mobile: string;
  email: string;
  isStop: boolean;
  gender: string;
  position: string;
  employeeNumber: string;
  mainDepartmentId: number;
  departmentIds: number[];
  attachingDepartmentIds: number[];
  leaderId: string | null;
  createTime: number;
  isCrmAdmin: boolean;
}

export interface FxDepartment {
  id: number;
  name: string;
  parentId: number;
  order: number;
  isStop: boolean;
}

/** 全公司: the root department, whose user list is every employee. */
export const WHOLE_COMPANY = 999999;
const MOBILE_RE = /^\d{11}$/;

/** The directory calls of §4 (parameters at the top level, no acting user). */
export class FxDirectory {
  constructor(
    private readonly transport: FxTransport,
    private readonly auth: FxTenantAuth,
  ) {}

  private call(path: string, body: Json): Promise<Json> {
    return this.transport.corp(this.auth, path, body);
  }

  /** Exact match on the 11 digits without +86; stopped users included. */
  async usersByMobile(mobile: string): Promise<FxUser[]> {
    if (!MOBILE_RE.test(mobile)) throw fxUsageError('手机号必须是 11 位数字（不带 +86）');
    const res = await this.call('/cgi/user/getByMobile', { mobile });
    return (res.empList ?? []) as FxUser[];
  }

  /** Unknown id → a data error with 20012. */
  async user(openUserId: string): Promise<FxUser> {
    const res = await this.call('/cgi/user/get', { openUserId });
    const { errorCode: _c, errorMessage: _m, errorDescription: _d, traceId: _t, ...user } = res;
    return user as unknown as FxUser;
  }

  async users(departmentId = WHOLE_COMPANY, fetchChild = false): Promise<FxUser[]> {
    const res = await this.call('/cgi/user/list', { departmentId, fetchChild });
    return (res.userList ?? []) as FxUser[];
  }

  async departments(): Promise<FxDepartment[]> {
    const res = await this.call('/cgi/department/list', {});
    return (res.departments ?? []) as FxDepartment[];
  }
}
