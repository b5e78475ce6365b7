import { IntegrationError } from '../../../src/lib/errors.js';
import { NOT_FOUND, isJdyCode, jdyError } from './errors.js';
import {
  listAll,
  readDeletions,
  readPage,
  readWindows,
  type JdyPage,
  type JdyWindowBatch,
  type WindowOptions,
} from './list.js';
import { isRecord, normalize, type Json } from './parse.js';
import type { JdyQuery, JdySession } from './transport.js';
import type { JdyDeletedRow, JdyEntityNumber, JdyId, JdySaveResult } from './types.js';

export interface ResourceDef<TRow, TDetail, TSave> {
  entityNumber: JdyEntityNumber;
  /** List (GET) and save (POST) path. */
  path: string;
  /** Detail path; without one (customer categories) details are found in the list. */
  detailPath?: string;
  numberField: 'number' | 'bill_no';
  /** The list has an `enable` filter: send "-1" unless told otherwise (§4.4, §4.6). */
  hasEnableFilter: boolean;
  mapRow?: (raw: unknown) => TRow;
  mapDetail?: (raw: unknown) => TDetail;
  toWire?: (save: TSave) => Json;
}

/** What `createWithLookup` did: created it, or found the record an ambiguous attempt had created. */
export interface JdyCreateOutcome<TDetail> {
  id: JdyId;
  number: string;
  recovered: boolean;
  record?: TDetail;
}

const cast = <T>(raw: unknown): T => raw as T;

export function saveResult(data: unknown): JdySaveResult {
  const d = isRecord(data) ? data : {};
  const ids = Array.isArray(d.ids) ? d.ids.map(String) : [];
  const map: Record<string, string> = {};
  if (isRecord(d.id_number_map)) for (const [k, v] of Object.entries(d.id_number_map)) map[k] = String(v);
  return { ids, id_number_map: map };
}

export const isAmbiguous = (e: unknown): boolean => e instanceof IntegrationError && e.outcomeUnknown;

/** One bd object or bill of §5: list, windows, deletions, detail, save and the §9.6 lookups. */
export class JdyResource<
  TRow,
  TDetail extends { id: JdyId },
  TSave extends { id?: JdyId },
  TFilter extends JdyQuery,
> {
  constructor(
    protected readonly session: JdySession,
    readonly def: ResourceDef<TRow, TDetail, TSave>,
  ) {}

  private query(filter: TFilter | undefined): JdyQuery {
    const q: Record<string, JdyQuery[string]> = { ...filter };
    if (this.def.hasEnableFilter && q.enable === undefined) q.enable = '-1';
    return q;
  }

  private get mapRow(): (raw: unknown) => TRow {
    return this.def.mapRow ?? cast;
  }

  page(filter?: TFilter, page = 1, pageSize = 100): Promise<JdyPage<TRow>> {
    return readPage(
      this.session,
      this.def.path,
      { ...this.query(filter), page, page_size: pageSize },
      this.mapRow,
    );
  }

  list(filter?: TFilter): AsyncGenerator<TRow> {
    return listAll(this.session, this.def.path, this.query(filter), this.mapRow);
  }

  /** Changed rows in modify-time windows (§4.6); checkpoint each batch's `to`. */
  changes(options: WindowOptions = {}, filter?: TFilter): AsyncGenerator<JdyWindowBatch<TRow>> {
    return readWindows(this.session, this.def.path, this.query(filter), options, this.mapRow);
  }

  deletions(options: WindowOptions = {}): AsyncGenerator<JdyWindowBatch<JdyDeletedRow>> {
    return readDeletions(this.session, this.def.entityNumber, options);
  }

  async detail(ref: { id: JdyId } | { number: string }): Promise<TDetail> {
    if (!this.def.detailPath) {
      const found = await this.scanList(ref);
      if (!found)
        throw jdyError(NOT_FOUND, `${this.def.entityNumber}[${'id' in ref ? ref.id : ref.number}]不存在`);
      return found;
    }
    const raw = normalize(await this.session.get<unknown>(this.def.detailPath, { ...ref }));
    return (this.def.mapDetail ?? cast<TDetail>)(raw);
  }

  private async scanList(ref: { id: JdyId } | { number: string }): Promise<TDetail | undefined> {
    const search = 'number' in ref ? ref.number : undefined;
    for await (const row of listAll(this.session, this.def.path, { search }, cast<Json>)) {
      if ('id' in ref ? row.id === ref.id : row[this.def.numberField] === ref.number) {
        return (this.def.mapDetail ?? cast<TDetail>)(row);
      }
    }
    return undefined;
  }

  /** The detail, or undefined when the service answers "not found" (1030002003). */
  async find(ref: { id: JdyId } | { number: string }): Promise<TDetail | undefined> {
    try {
      return await this.detail(ref);
    } catch (e) {
      if (isJdyCode(e, NOT_FOUND)) return undefined;
      throw e;
    }
  }

  findByNumber(number: string): Promise<TDetail | undefined> {
    return this.find({ number });
  }

  /** Create (no id) or update (id). A write: never repeated here (see createWithLookup/updateFromDetail). */
  async save(body: TSave): Promise<JdySaveResult> {
    const wire = this.def.toWire ? this.def.toWire(body) : body;
    return saveResult(await this.session.post<unknown>(this.def.path, wire));
  }

  /**
   * §9.6 create: the caller chooses the number; after an ambiguous failure the record is looked up by
   * that number and returned instead of creating a second one; resent once only if it is not there.
   */
  async createWithLookup(body: TSave): Promise<JdyCreateOutcome<TDetail>> {
    const number = (body as Record<string, unknown>)[this.def.numberField];
    if (body.id || typeof number !== 'string' || !number) {
      throw jdyError('client_usage', `createWithLookup needs a new ${this.def.numberField}`, {
        errorClass: 'unexpected',
      });
    }
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await this.save(body);
        return {
          id: result.ids[0] ?? '',
          number: result.id_number_map[result.ids[0] ?? ''] ?? number,
          recovered: false,
        };
      } catch (e) {
        if (!isAmbiguous(e)) throw e;
        const found = await this.findByNumber(number);
        if (found) return { id: found.id, number, recovered: true, record: found };
        if (attempt >= 2) throw e;
      }
    }
  }

  /**
   * §9.6 update: the body is rebuilt from a fresh detail (lines keep their ids, so nothing is added
   * twice); after an ambiguous failure it is re-read and rebuilt once more before resending.
   */
  async updateFromDetail(id: JdyId, build: (current: TDetail) => TSave): Promise<JdySaveResult> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.detail({ id });
      try {
        return await this.save({ ...build(current), id });
      } catch (e) {
        if (!isAmbiguous(e) || attempt >= 2) throw e;
      }
    }
  }
}
