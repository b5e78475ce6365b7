/** Product categories (§5.10): ProductCategoryObj records maintained by editProductCategory. */
import { fail, type Json } from './errors.js';
import { storeOf, type Rec, type SandboxState, type Tenant } from './state.js';
import { categories } from './values.js';

const CODE_RE = /^[A-Za-z0-9_.-]{1,64}$/;
const bad = (key: string): never => fail(10006, `the parameter ${key} is missing or illegal`);

export function listCategories(tenant: Tenant): Json[] {
  return categories(tenant).map((r) => ({
    id: r._id,
    name: r.name,
    pid: typeof r.pid === 'string' ? r.pid : null,
    code: r.code,
    orderField: Number(r.order_field ?? 0),
  }));
}

const isName = (v: unknown): v is string => typeof v === 'string' && v.length >= 1 && v.length <= 50;
const isOrder = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isPid = (v: unknown): v is string | null | undefined =>
  v === undefined || v === null || typeof v === 'string';

/** editFlag 1/2/3, errors in the §5.10 order. `actor` is the user the system fields name. */
export function editCategory(st: SandboxState, tenant: Tenant, actor: string, data: Json): Json | undefined {
  const store = storeOf(tenant, 'ProductCategoryObj');
  const flag = data.editFlag;
  if (flag !== 1 && flag !== 2 && flag !== 3) return bad('editFlag');
  if (flag === 1) {
    if (!isName(data.name)) bad('name');
    if (typeof data.code !== 'string' || !CODE_RE.test(data.code)) bad('code');
  } else if (typeof data.id !== 'string' || data.id === '') bad('id');
  if (flag !== 3) {
    if (flag === 2 && data.name !== undefined && !isName(data.name)) bad('name');
    if (!isPid(data.pid)) bad('pid');
    if (data.orderField !== undefined && !isOrder(data.orderField)) bad('orderField');
  }
  const current = flag === 1 ? undefined : (store.byId.get(data.id as string) ?? fail(32004, '分类不存在'));
  const pid = data.pid as string | null | undefined;
  if (flag !== 3 && typeof pid === 'string' && !store.byId.has(pid)) fail(32004, '上级分类不存在');
  if (flag === 2 && data.code !== undefined) fail(32003, '分类编码不可修改');
  if (flag === 2 && typeof pid === 'string') {
    for (let at: string | undefined = pid; at; at = store.byId.get(at)?.pid as string | undefined) {
      if (at === current?._id) fail(32000, '上级分类形成循环');
    }
  }
  if (flag !== 3) {
    const name = (data.name as string | undefined) ?? (current?.name as string);
    const parent = pid === undefined ? (current?.pid as string | undefined) : (pid ?? undefined);
    for (const r of store.byId.values()) {
      if (r._id !== current?._id && r.name === name && (r.pid as string | undefined) === parent) {
        fail(32006, `分类名称[${name}]已存在`);
      }
      if (flag === 1 && r.code === data.code) fail(32006, `分类编码[${String(data.code)}]已存在`);
    }
  }
  if (flag === 3) {
    const id = current?._id as string;
    for (const r of store.byId.values()) if (r.pid === id) fail(32005, '分类有下级分类');
    if (storeOf(tenant, 'ProductObj').find('category', 'select_one', id).length > 0)
      fail(32005, '分类已被产品使用');
    store.remove(id);
    return undefined;
  }
  const now = st.now();
  if (flag === 1) {
    const rec: Rec = {
      _id: st.newId(),
      name: data.name,
      code: data.code,
      order_field: String((data.orderField as number | undefined) ?? 0),
      created_by: [actor],
      last_modified_by: [actor],
      create_time: now,
      last_modified_time: now,
      life_status: 'normal',
      lock_status: '0',
      is_deleted: false,
      record_type: 'default__c',
      version: '1',
      object_describe_api_name: 'ProductCategoryObj',
      owner: [actor],
    };
    if (typeof pid === 'string') rec.pid = pid;
    store.put(rec);
    return { id: rec._id };
  }
  const next: Rec = { ...(current as Rec) };
  if (data.name !== undefined) next.name = data.name;
  if (pid === null) delete next.pid;
  else if (pid !== undefined) next.pid = pid;
  if (data.orderField !== undefined) next.order_field = String(data.orderField);
  next.version = String(Number(next.version ?? '1') + 1);
  next.last_modified_time = now;
  next.last_modified_by = [actor];
  store.put(next);
  return undefined;
}
