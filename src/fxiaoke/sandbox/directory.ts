/** Directory calls of §4: users by mobile, by id, by department, and the department list. */
import { fail, type Json } from './errors.js';
import type { Tenant, User } from './state.js';

export const userJson = (u: User): Json => ({
  openUserId: u.openUserId,
  name: u.name,
  nickName: u.nickName,
  mobile: u.mobile,
  email: u.email,
  isStop: u.isStop,
  gender: u.gender,
  position: u.position,
  employeeNumber: u.employeeNumber,
  mainDepartmentId: u.mainDepartmentId,
  departmentIds: [...u.departmentIds],
  attachingDepartmentIds: [...u.attachingDepartmentIds],
  leaderId: u.leaderId,
  createTime: u.createTime,
  isCrmAdmin: u.isCrmAdmin,
});

export function getByMobile(tenant: Tenant, body: Json): Json {
  if (typeof body.mobile !== 'string' || body.mobile === '')
    return fail(10006, 'the parameter mobile is missing or illegal');
  return { empList: [...tenant.users.values()].filter((u) => u.mobile === body.mobile).map(userJson) };
}

export function getUser(tenant: Tenant, body: Json): Json {
  if (typeof body.openUserId !== 'string' || body.openUserId === '') {
    return fail(10006, 'the parameter openUserId is missing or illegal');
  }
  const u = tenant.users.get(body.openUserId) ?? fail(20012, 'employee not found');
  return userJson(u);
}

export function listUsers(tenant: Tenant, body: Json): Json {
  const dept = body.departmentId;
  if (typeof dept !== 'number' || !Number.isInteger(dept) || !tenant.departments.has(dept)) {
    return fail(10006, 'the parameter departmentId is missing or illegal');
  }
  const wanted = new Set([dept]);
  if (body.fetchChild === true) {
    for (let grew = true; grew;) {
      grew = false;
      for (const d of tenant.departments.values()) {
        if (wanted.has(d.parentId) && !wanted.has(d.id)) {
          wanted.add(d.id);
          grew = true;
        }
      }
    }
  }
  const users = [...tenant.users.values()]
    .filter(
      (u) =>
        dept === 999999 ||
        [u.mainDepartmentId, ...u.departmentIds, ...u.attachingDepartmentIds].some((d) => wanted.has(d)),
    )
    .sort((a, b) => a.createTime - b.createTime || (a.openUserId < b.openUserId ? -1 : 1));
  return { userList: users.map(userJson) };
}

export function listDepartments(tenant: Tenant): Json {
  return { departments: [...tenant.departments.values()].map((d) => ({ ...d })) };
}
