import { ENTITIES, isEntityNumber, type BaseRec, type BillHeader, type EntityNumber } from '../state.js';
import { auditBill, isBillEntity, unauditBill } from '../rules/bills.js';
import { isReferenced } from '../rules/references.js';
import { ApiError, FieldReader, err, type Json } from '../validate.js';
import { saveData, type Ctx, type SaveData } from './common.js';

const OPERATIONS = ['delete', 'audit', 'unaudit'];

/** `POST /jdy/v2/sys/common_operate` (§5.13): all-or-nothing, in request order. */
export function commonOperate(ctx: Ctx, body: Json): SaveData {
  const r = new FieldReader(body, '', true);
  const entity = r.str('entity_number', true)!;
  if (!isEntityNumber(entity)) throw err.notFound('业务对象', entity);
  const op = r.str('operate_type', true)!;
  if (!OPERATIONS.includes(op) || (op !== 'delete' && !isBillEntity(entity)))
    throw err.format('operate_type');
  const ids = readList(body, 'ids');
  const byId = ids.length > 0;
  const list = byId ? ids : readList(body, 'numbers');
  if (list.length === 0) throw err.missing('ids');
  if (list.length > 100) throw new ApiError(1030002005, '操作对象个数超出限制，最多100');
  const store = ctx.books.storeOf(entity);
  const label = ENTITIES[entity].label;
  const done: BaseRec[] = [];
  for (const value of list) {
    const rec = byId ? store.get(value) : store.byNumber.get(value);
    if (!rec) throw err.notFound(label, value);
    if (op === 'delete') deleteRecord(ctx, entity, rec);
    else if (isBillEntity(entity)) (op === 'audit' ? auditBill : unauditBill)(ctx, entity, rec.id);
    done.push(rec);
  }
  return saveData(done);
}

/** `ids`/`numbers`: arrays of strings; an empty or absent array counts as not given. */
function readList(body: Json, key: 'ids' | 'numbers'): string[] {
  const v = body[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw err.type(key);
  return v as string[];
}

function deleteRecord(ctx: Ctx, entity: EntityNumber, rec: BaseRec): void {
  const label = ENTITIES[entity].label;
  if (ENTITIES[entity].bill && (rec as BillHeader).bill_status === 'C') {
    throw new ApiError(2018023007, '该单据为审核状态，不允许删除');
  }
  if (isReferenced(ctx.books, entity, rec)) {
    throw new ApiError(1030002004, `${label}[${rec.number}]已被其他对象使用，无法删除`);
  }
  ctx.books.storeOf(entity).remove(rec.id);
  ctx.books.addDeleted({ entity_number: entity, id: rec.id, number: rec.number, delete_time: ctx.now });
}
