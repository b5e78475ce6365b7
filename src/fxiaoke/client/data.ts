import { IntegrationError } from '../../lib/errors.js';
import {
  FxDescribe,
  fieldLabel,
  unknownOption,
  type DescribeCache,
  type FxDescribeJson,
} from './describe.js';
import { FX, fxError, fxUsageError, isFxCode } from './errors.js';
import { FxQuery, MAX_LIMIT, where, type FxFilter, type SearchQueryInfo } from './filters.js';
import type { FxTenantAuth, FxTransport, Json } from './transport.js';

/** A record in the §5.11 format; unknown keys are kept as they come. */
export type FxRecord = Json & { _id: string };

export interface FxPage {
  dataList: FxRecord[];
  total: number;
  offset: number;
  limit: number;
}

export interface WriteFlags {
  /** false: no CRM workflow, so no change event (§5.2); default true. */
  triggerWorkFlow?: boolean;
}

export interface CreateOptions extends WriteFlags {
  details?: Record<string, Json[]>;
  /** Synced documents skip approval unless the tenant wants it (§12 item 11); default false. */
  triggerApprovalFlow?: boolean;
  includeDetailIds?: boolean;
}

export interface UpdateOptions extends WriteFlags {
  /** Replaces the rows of each named detail object (§5.4). */
  details?: Record<string, Json[]>;
}

export interface CreateResult {
  dataId: string;
  detailIds?: Record<string, string[]>;
  /** True when an ambiguous create turned out to have been applied (found by business key). */
  recovered?: boolean;
}

/** A business key to find a record after an ambiguous create (§5.13): one field or a pair. */
export type BusinessKey = Record<string, string>;

export interface ScanOptions {
  filters?: FxFilter[];
  fieldProjection?: string[];
  includeNull?: boolean;
}

/** Idempotent end states of repeated invalid/delete/recover (§5.13). */
export type RepeatableOutcome = 'done' | 'already';

/** Objects whose writes change the options of other describes (§7.3, §7.5). */
const OPTION_SOURCES: Record<string, string[]> = {
  UnitInfoObj: ['ProductObj', 'SalesOrderProductObj'],
};

const familyOf = (apiName: string): string =>
  apiName.endsWith('__c') ? '/cgi/crm/custom/v2/data' : '/cgi/crm/v2/data';

/** The data API of §5 for one tenant, acting as one CRM user. */
export class FxData {
  constructor(
    private readonly transport: FxTransport,
    private readonly describes: DescribeCache,
    private readonly auth: FxTenantAuth,
    private readonly userId: string,
  ) {}

  private call(path: string, body: Json, write: boolean): Promise<Json> {
    return this.transport.crm(this.auth, path, this.userId, body, write);
  }

  // ---- describe ----

  describe(apiName: string): Promise<FxDescribe> {
    return this.describes.get(this.auth.tenantId, apiName, async () => {
      const body = await this.call(
        '/cgi/crm/v2/object/describe',
        { data: { apiName, includeDetail: false } },
        false,
      );
      const data = body.data as { describe?: FxDescribeJson } | undefined;
      if (!data?.describe?.fields) {
        throw fxError({
          code: 'bad_answer',
          errorClass: 'unexpected',
          message: `对象 ${apiName} 的描述应答不完整`,
        });
      }
      return new FxDescribe(data.describe);
    });
  }

  /** Drops cached describes of this tenant (one object, or all). */
  forgetDescribe(apiName?: string): void {
    this.describes.invalidate(this.auth.tenantId, apiName);
  }

  /** The option value for a label; a miss re-reads the describe once (options change, §7.5). */
  async optionValue(apiName: string, fieldApiName: string, label: string): Promise<string> {
    const cached = await this.describe(apiName);
    const hit = cached.findOptionValue(fieldApiName, label);
    if (hit !== undefined) return hit;
    this.forgetDescribe(apiName);
    const fresh = await this.describe(apiName);
    const value = fresh.findOptionValue(fieldApiName, label);
    if (value === undefined) throw unknownOption(fresh, fieldApiName, label);
    return value;
  }

  async objects(): Promise<
    Array<{ describeApiName: string; describeDisplayName: string; defineType: string; isActive: boolean }>
  > {
    const body = await this.call('/cgi/crm/v2/object/list', { data: {} }, false);
    return ((body.data as { objects?: unknown[] } | undefined)?.objects ?? []) as Array<{
      describeApiName: string;
      describeDisplayName: string;
      defineType: string;
      isActive: boolean;
    }>;
  }

  // ---- writes ----

  async create(apiName: string, objectData: Json, options: CreateOptions = {}): Promise<CreateResult> {
    const body: Json = {
      triggerWorkFlow: options.triggerWorkFlow ?? true,
      triggerApprovalFlow: options.triggerApprovalFlow ?? false,
      includeDetailIds: options.includeDetailIds ?? false,
      data: {
        object_data: { ...objectData, dataObjectApiName: apiName },
        ...(options.details ? { details: options.details } : {}),
      },
    };
    try {
      const res = await this.call(`${familyOf(apiName)}/create`, body, true);
      this.afterWrite(apiName);
      return {
        dataId: String(res.dataId),
        ...(res.detailIds ? { detailIds: res.detailIds as Record<string, string[]> } : {}),
      };
    } catch (error) {
      throw await this.explain(apiName, objectData, options.details, error);
    }
  }

  /**
   * Create with the §5.13 rule: after an ambiguous failure (network, timeout, 5xx, -1, -2), look
   * the record up by business key before anything else. Found → it was applied. Not found → it
   * was not, so one more create is safe.
   */
  async createSafely(
    apiName: string,
    objectData: Json,
    key: BusinessKey,
    options: CreateOptions = {},
  ): Promise<CreateResult> {
    try {
      return await this.create(apiName, objectData, options);
    } catch (error) {
      if (!(error instanceof IntegrationError) || !error.outcomeUnknown) throw error;
      const found = await this.findByBusinessKey(apiName, key);
      if (found.length > 1) {
        throw fxError({
          code: 'ambiguous_key',
          errorClass: 'data',
          message: `纷享销客中有 ${found.length} 条 ${apiName} 记录的业务键相同（${JSON.stringify(key)}），无法判断哪条是刚才创建的`,
        });
      }
      if (found[0]) return { dataId: found[0]._id, recovered: true };
      return this.create(apiName, objectData, options);
    }
  }

  async update(apiName: string, id: string, objectData: Json, options: UpdateOptions = {}): Promise<string> {
    const body: Json = {
      triggerWorkFlow: options.triggerWorkFlow ?? true,
      data: {
        object_data: { ...objectData, dataObjectApiName: apiName, _id: id },
        ...(options.details ? { details: options.details } : {}),
      },
    };
    try {
      const res = await this.call(`${familyOf(apiName)}/update`, body, true);
      this.afterWrite(apiName);
      return String(res.dataId ?? id);
    } catch (error) {
      throw await this.explain(apiName, null, undefined, error);
    }
  }

  /** 作废. A repeated invalid answered 32005 is done (§5.13). */
  async invalid(apiName: string, id: string, flags: WriteFlags = {}): Promise<RepeatableOutcome> {
    try {
      await this.call(
        `${familyOf(apiName)}/invalid`,
        {
          triggerWorkFlow: flags.triggerWorkFlow ?? true,
          data: { dataObjectApiName: apiName, object_data_id: id },
        },
        true,
      );
      this.afterWrite(apiName);
      return 'done';
    } catch (error) {
      if (isFxCode(error, FX.STATE)) return 'already';
      throw error;
    }
  }

  /** Deletes invalid records for good (invalidate first, §12 item 10). 32004 = already deleted. */
  async delete(apiName: string, ids: string[], flags: WriteFlags = {}): Promise<RepeatableOutcome> {
    this.checkIds(ids);
    try {
      await this.call(
        `${familyOf(apiName)}/delete`,
        { triggerWorkFlow: flags.triggerWorkFlow ?? true, data: { dataObjectApiName: apiName, idList: ids } },
        true,
      );
      return 'done';
    } catch (error) {
      if (isFxCode(error, FX.NOT_FOUND)) return 'already';
      throw error;
    }
  }

  /** Undoes invalid. 32005 → re-read: if none of them is invalid any more, it is done (§5.13). */
  async recover(apiName: string, ids: string[], flags: WriteFlags = {}): Promise<RepeatableOutcome> {
    this.checkIds(ids);
    try {
      await this.call(
        `${familyOf(apiName)}/recover`,
        { triggerWorkFlow: flags.triggerWorkFlow ?? true, data: { dataObjectApiName: apiName, idList: ids } },
        true,
      );
      this.afterWrite(apiName);
      return 'done';
    } catch (error) {
      if (!isFxCode(error, FX.STATE)) throw error;
      const page = await this.query(
        apiName,
        FxQuery.create().filter(where.in('_id', ids), where.eq('life_status', 'invalid')).build(),
      );
      if (page.dataList.length === 0) return 'already';
      throw error;
    }
  }

  // ---- reads ----

  async get(apiName: string, id: string, includeNull = false): Promise<FxRecord> {
    const res = await this.call(
      `${familyOf(apiName)}/get`,
      { includeNull, data: { dataObjectApiName: apiName, objectDataId: id } },
      false,
    );
    return res.data as FxRecord;
  }

  /** One page. Build `query` with FxQuery; a raw object is sent as is (the CRM checks it). */
  async query(apiName: string, query: SearchQueryInfo | FxQuery, includeNull = false): Promise<FxPage> {
    const info = query instanceof FxQuery ? query.build() : query;
    const res = await this.call(
      `${familyOf(apiName)}/query`,
      {
        includeNull,
        data: { dataObjectApiName: apiName, search_query_info: info, find_explicit_total_num: true },
      },
      false,
    );
    const data = res.data as Partial<FxPage> | undefined;
    return {
      dataList: data?.dataList ?? [],
      total: data?.total ?? 0,
      offset: data?.offset ?? info.offset,
      limit: data?.limit ?? info.limit,
    };
  }

  /**
   * Every matching record through the `_id` cursor (§6.4): order by `_id`, offset 0, limit 100,
   * each next page `_id GT <last>`, stop on a short page. No 10 000-row limit, no duplicates.
   */
  async *scan(apiName: string, options: ScanOptions = {}): AsyncGenerator<FxRecord> {
    let after: string | null = null;
    for (;;) {
      let q = FxQuery.create(MAX_LIMIT).filter(...(options.filters ?? []));
      if (after !== null) q = q.filter(where.gt('_id', after));
      q = q.orderBy('_id', true);
      if (options.fieldProjection?.length) q = q.project(...options.fieldProjection);
      const page = await this.query(apiName, q, options.includeNull ?? false);
      for (const record of page.dataList) yield record;
      const last = page.dataList[page.dataList.length - 1];
      if (page.dataList.length < MAX_LIMIT || !last) return;
      after = last._id;
    }
  }

  /** Live records whose fields equal the key (§5.13 business keys). */
  async findByBusinessKey(apiName: string, key: BusinessKey): Promise<FxRecord[]> {
    const filters = Object.entries(key).map(([field, value]) => where.eq(field, value));
    if (filters.length === 0) throw fxUsageError('业务键不能为空');
    const found: FxRecord[] = [];
    for await (const record of this.scan(apiName, { filters: [...filters, where.live()] }))
      found.push(record);
    return found;
  }

  // ---- internals ----

  private checkIds(ids: string[]): void {
    if (ids.length < 1 || ids.length > 100 || new Set(ids).size !== ids.length) {
      throw fxUsageError('idList 需要 1–100 个不重复的记录 ID');
    }
  }

  private afterWrite(apiName: string): void {
    for (const dependent of OPTION_SOURCES[apiName] ?? []) this.forgetDescribe(dependent);
  }

  /**
   * 32003/50009 mean our describe may be stale: drop it (§12 item 8). 32002 names the missing
   * required field(s) from the describe rather than from the CRM's text, which clients must not parse.
   */
  private async explain(
    apiName: string,
    objectData: Json | null,
    details: Record<string, Json[]> | undefined,
    error: unknown,
  ): Promise<unknown> {
    if (isFxCode(error, FX.FIELD_UNKNOWN) || isFxCode(error, FX.VALUE_INVALID)) this.forgetDescribe(apiName);
    if (!(error instanceof IntegrationError) || !isFxCode(error, FX.REQUIRED) || !objectData) return error;
    try {
      const missing: string[] = (await this.describe(apiName)).missingRequired(objectData).map(fieldLabel);
      for (const [detailApi, rows] of Object.entries(details ?? {})) {
        const d = await this.describe(detailApi);
        rows.forEach((row, i) => {
          for (const f of d.missingRequired(row))
            missing.push(`${detailApi} 第 ${i + 1} 行的${fieldLabel(f)}`);
        });
      }
      if (missing.length === 0) return error;
      return fxError({
        code: error.code,
        errorClass: 'data',
        traceId: error.traceId,
        message: `创建 ${apiName} 缺少必填值：${missing.join('、')}`,
      });
    } catch {
      return error;
    }
  }
}
