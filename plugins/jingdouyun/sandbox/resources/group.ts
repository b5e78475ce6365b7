import type { EntityNumber, EntityStore, GroupRec } from '../state.js';
import { ENTITIES } from '../state.js';
import { FieldReader, err, targetOf, type Json } from '../validate.js';
import {
  asciiFold,
  autoNumber,
  byNumber,
  checkUnique,
  findForDetail,
  listPage,
  listParams,
  queryRecords,
  recordId,
  refNumber,
  stamp,
  times,
  type Ctx,
  type Query,
  type SaveOpts,
} from './common.js';

/** Customer categories and product categories share one shape (§5.2). */
type GroupEntity = 'bd_customergroup' | 'bd_materialgroup';

function storeFor(ctx: Ctx, entity: GroupEntity): EntityStore<GroupRec> {
  return entity === 'bd_customergroup' ? ctx.books.customerGroup : ctx.books.materialGroup;
}

export function saveGroup(ctx: Ctx, entity: GroupEntity, body: Json, opts: SaveOpts = {}): GroupRec {
  const store = storeFor(ctx, entity);
  const label = ENTITIES[entity].label;
  const target = targetOf(body, store, label);
  const id = recordId(ctx, target, opts);
  const r = new FieldReader(body, '', !target);
  const number = r.str('number');
  const name = r.str('name', true);
  const parent = r.ref('parent_id', 'parent_number', store, label);
  if (parent && isSelfOrDescendant(store, parent, id)) throw err.format('parent_id');
  const remark = r.str('remark');
  if (number !== undefined) checkUnique(store, number, target?.id ?? null, false);
  const rec: GroupRec = {
    ...stamp(ctx, target, id, number ?? target?.number ?? autoNumber(ctx, entity as EntityNumber, store)),
    name: name ?? target!.name,
    parent_id: parent?.id ?? target?.parent_id ?? '',
    remark: remark ?? target?.remark ?? '',
  };
  store.put(rec);
  return rec;
}

function isSelfOrDescendant(store: EntityStore<GroupRec>, candidate: GroupRec, selfId: string): boolean {
  const seen = new Set<string>();
  for (let g: GroupRec | undefined = candidate; g && !seen.has(g.id); g = store.get(g.parent_id)) {
    if (g.id === selfId) return true;
    seen.add(g.id);
  }
  return false;
}

export function groupRow(store: EntityStore<GroupRec>, g: GroupRec): Json {
  let level = 1;
  for (let p = store.get(g.parent_id); p && level < 100; p = store.get(p.parent_id)) level++;
  let isLeaf = true;
  for (const other of store.byId.values()) {
    if (other.parent_id === g.id) {
      isLeaf = false;
      break;
    }
  }
  return {
    id: g.id,
    number: g.number,
    name: g.name,
    parent_id: g.parent_id,
    parent_number: refNumber(store, g.parent_id),
    level,
    is_leaf: isLeaf,
    remark: g.remark,
    ...times(g),
  };
}

export function listGroups(ctx: Ctx, entity: GroupEntity, q: Query): Json {
  const store = storeFor(ctx, entity);
  const p = listParams(q);
  const search = q.first('search');
  const needle = search ? asciiFold(search) : null;
  const parents = q.has('parent') ? new Set(q.all('parent')) : null;
  const key = JSON.stringify([needle, parents && [...parents]]);
  const rows = queryRecords(store, p, byNumber, key, (g) => {
    if (parents && !parents.has(g.parent_id)) return false;
    return !needle || asciiFold(g.name).includes(needle) || asciiFold(g.number).includes(needle);
  });
  return listPage(rows, p, true, (g) => groupRow(store, g));
}

export const materialGroupDetail = (ctx: Ctx, q: Query): Json =>
  groupRow(ctx.books.materialGroup, findForDetail(ctx.books.materialGroup, q, '商品分类'));
