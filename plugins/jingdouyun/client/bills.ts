import { NOT_FOUND, isJdyCode } from './errors.js';
import { JdyResource, isAmbiguous, saveResult } from './resource.js';
import type { JdySession } from './transport.js';
import type {
  DateText,
  JdyEntityNumber,
  JdyId,
  JdyOutboundDetail,
  JdyOutboundRow,
  JdyOutboundSave,
  JdyPreReceiptDetail,
  JdyPreReceiptRow,
  JdyPreReceiptSave,
  JdyReceiptDetail,
  JdyReceiptRow,
  JdyReceiptSave,
  JdySalesOrderDetail,
  JdySalesOrderRow,
  JdySalesOrderSave,
  JdySaveResult,
} from './types.js';

type BillDates = { start_bill_date?: DateText; end_bill_date?: DateText };
export type JdySalesOrderFilter = BillDates & {
  bill_no?: string;
  bill_status?: '' | 'C' | 'Z';
  customer_number?: string;
};
export type JdyOutboundFilter = JdySalesOrderFilter & { src_bill_no?: string };
export type JdyArapFilter = BillDates & {
  bill_status?: '' | 'A' | 'C';
  customer_id?: JdyId;
  search?: string;
};

export type JdySalesOrders = JdyResource<
  JdySalesOrderRow,
  JdySalesOrderDetail,
  JdySalesOrderSave,
  JdySalesOrderFilter
>;
export type JdyOutbounds = JdyResource<JdyOutboundRow, JdyOutboundDetail, JdyOutboundSave, JdyOutboundFilter>;
export type JdyReceipts = JdyResource<JdyReceiptRow, JdyReceiptDetail, JdyReceiptSave, JdyArapFilter>;
export type JdyPreReceipts = JdyResource<
  JdyPreReceiptRow,
  JdyPreReceiptDetail,
  JdyPreReceiptSave,
  JdyArapFilter
>;

export const salesOrders = (session: JdySession): JdySalesOrders =>
  new JdyResource(session, {
    entityNumber: 'sal_bill_order',
    path: '/jdy/v2/scm/sal_order',
    detailPath: '/jdy/v2/scm/sal_order_detail',
    numberField: 'bill_no',
    hasEnableFilter: false,
  });

export const outbounds = (session: JdySession): JdyOutbounds =>
  new JdyResource(session, {
    entityNumber: 'sal_bill_outbound',
    path: '/jdy/v2/scm/sal_out_bound',
    detailPath: '/jdy/v2/scm/sal_out_bound_detail',
    numberField: 'bill_no',
    hasEnableFilter: false,
  });

export const receipts = (session: JdySession): JdyReceipts =>
  new JdyResource(session, {
    entityNumber: 'ar_creditbill',
    path: '/jdy/v2/arap/ar_credit',
    detailPath: '/jdy/v2/arap/ar_credit_detail',
    numberField: 'bill_no',
    hasEnableFilter: false,
  });

/** Pre-receipts are not auto-numbered: `bill_no` is required on create. */
export const preReceipts = (session: JdySession): JdyPreReceipts =>
  new JdyResource(session, {
    entityNumber: 'ar_precreditbill',
    path: '/jdy/v2/arap/ar_pre_credit',
    detailPath: '/jdy/v2/arap/ar_pre_credit_detail',
    numberField: 'bill_no',
    hasEnableFilter: false,
  });

export type JdyOperateType = 'delete' | 'audit' | 'unaudit';
/** ids, or numbers (bill_no for bills); at most 100. */
export type JdyOperateTarget = { ids: readonly JdyId[] } | { numbers: readonly string[] };

const COMMON_OPERATE = '/jdy/v2/sys/common_operate';

/**
 * common_operate (§5.13), all-or-nothing. Audit and unaudit are repeatable (re-auditing is a no-op),
 * so they retry like reads; delete is a write.
 */
export async function commonOperate(
  session: JdySession,
  entityNumber: JdyEntityNumber,
  operateType: JdyOperateType,
  target: JdyOperateTarget,
): Promise<JdySaveResult> {
  const body = { entity_number: entityNumber, operate_type: operateType, ...target };
  const data =
    operateType === 'delete'
      ? await session.post<unknown>(COMMON_OPERATE, body)
      : await session.postIdempotent<unknown>(COMMON_OPERATE, body);
  return saveResult(data);
}

export interface JdyDeleteOutcome {
  result?: JdySaveResult;
  /** The records were already gone (deleted earlier, or by an attempt whose answer was lost). */
  alreadyGone: boolean;
}

/**
 * Delete with the §9.6 rule: a repeated delete answering 1030002003 means done. A first answer of
 * 1030002003 means done only for one object (with several, all-or-nothing means nothing was deleted).
 */
export async function deleteRecords(
  session: JdySession,
  entityNumber: JdyEntityNumber,
  target: JdyOperateTarget,
): Promise<JdyDeleteOutcome> {
  const single = ('ids' in target ? target.ids : target.numbers).length === 1;
  try {
    return { result: await commonOperate(session, entityNumber, 'delete', target), alreadyGone: false };
  } catch (e) {
    if (single && isJdyCode(e, NOT_FOUND)) return { alreadyGone: true };
    if (!isAmbiguous(e)) throw e;
  }
  try {
    return { result: await commonOperate(session, entityNumber, 'delete', target), alreadyGone: false };
  } catch (e) {
    if (isJdyCode(e, NOT_FOUND)) return { alreadyGone: true };
    throw e;
  }
}

export interface JdyPushOutcome {
  outboundIds: JdyId[];
  /** The push's answer was lost; the outbounds were found by `src_bill_no`. */
  recovered: boolean;
}

async function outboundIdsFor(session: JdySession, orderBillNos: readonly string[]): Promise<Set<JdyId>> {
  const ids = new Set<JdyId>();
  for (const src of orderBillNos) {
    for await (const row of outbounds(session).list({ src_bill_no: src })) ids.add(row.id);
  }
  return ids;
}

/**
 * bill_push order → outbound (§5.13). Not idempotent: the outbounds already linked to the orders are
 * noted first, so after an ambiguous failure the new ones are found by `src_bill_no`, never pushed twice.
 */
export async function pushOrdersToOutbounds(
  session: JdySession,
  orderIds: readonly JdyId[],
  mergePush = false,
): Promise<JdyPushOutcome> {
  const orders = salesOrders(session);
  const billNos = await Promise.all(orderIds.map(async (id) => (await orders.detail({ id })).bill_no));
  const before = await outboundIdsFor(session, billNos);
  try {
    const data = await session.post<unknown>('/jdy/v2/sys/bill_push', {
      id: orderIds.join(','),
      source_bill: 'sal_bill_order',
      target_bill: 'sal_bill_outbound',
      merge_push: mergePush,
    });
    return { outboundIds: saveResult(data).ids, recovered: false };
  } catch (e) {
    if (!isAmbiguous(e)) throw e;
    const created = [...(await outboundIdsFor(session, billNos))].filter((id) => !before.has(id));
    if (created.length === 0) throw e;
    return { outboundIds: created, recovered: true };
  }
}
