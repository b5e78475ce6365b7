import type { Model, QueryFilter, UpdateQuery } from 'mongoose';
import { mapLimit } from '../lib/map-limit.js';

/**
 * A tenant id is a branded string, so a repository method cannot be called with any other string
 * (a corpId, a record id) by mistake.
 */
export type TenantId = string & { readonly __brand: 'TenantId' };
export const asTenantId = (value: string): TenantId => value as TenantId;

export interface TenantScoped {
  _id: string;
  tenantId: string;
}

/** A filter that may not name the tenant itself: the repository adds it. */
export type ScopedFilter<T> = Omit<QueryFilter<T>, 'tenantId'>;

export interface FindOptions {
  sort?: Record<string, 1 | -1>;
  limit?: number;
  skip?: number;
}

/**
 * Every query of a tenant-owned aggregate goes through here and carries the tenant id: the id is a
 * required first argument and the filter type cannot override it, so forgetting it does not compile.
 *
 * Documents use natural string `_id`s (e.g. "<tenant>:<object>:<sourceId>"), and lookups by id
 * filter on `_id` alone, checking the tenant on the document read: a filter that is exactly
 * `{_id: value}` is the one FerretDB's SQLite backend answers through an index (any other filter,
 * `$in` included, decodes the whole collection). An insert with a known `_id` is idempotent.
 */
export class TenantScopedRepository<T extends TenantScoped> {
  constructor(protected readonly model: Model<T>) {}

  protected scope(tenantId: TenantId, filter: ScopedFilter<T> = {} as ScopedFilter<T>): QueryFilter<T> {
    return { ...filter, tenantId } as QueryFilter<T>;
  }

  async findById(tenantId: TenantId, id: string): Promise<T | null> {
    const doc = await this.model
      .findOne({ _id: id } as QueryFilter<T>)
      .lean<T>()
      .exec();
    return doc && doc.tenantId === tenantId ? doc : null;
  }

  /** The documents with these ids (missing ones absent): one indexed lookup per id, several at a time. */
  async findByIds(tenantId: TenantId, ids: readonly string[]): Promise<Map<string, T>> {
    const found = new Map<string, T>();
    await mapLimit([...new Set(ids)], ID_LOOKUPS_IN_FLIGHT, async (id) => {
      const doc = await this.findById(tenantId, id);
      if (doc) found.set(id, doc);
    });
    return found;
  }

  async findOne(tenantId: TenantId, filter: ScopedFilter<T>): Promise<T | null> {
    return this.model.findOne(this.scope(tenantId, filter)).lean<T>().exec();
  }

  async find(
    tenantId: TenantId,
    filter: ScopedFilter<T> = {} as ScopedFilter<T>,
    options: FindOptions = {},
  ): Promise<T[]> {
    let query = this.model.find(this.scope(tenantId, filter));
    if (options.sort) query = query.sort(options.sort);
    if (options.skip) query = query.skip(options.skip);
    if (options.limit) query = query.limit(options.limit);
    return query.lean<T[]>().exec();
  }

  async count(tenantId: TenantId, filter: ScopedFilter<T> = {} as ScopedFilter<T>): Promise<number> {
    return this.model.countDocuments(this.scope(tenantId, filter)).exec();
  }

  /** Inserts with the given `_id`; answers false when a document with that `_id` already exists. */
  async insertIfAbsent(tenantId: TenantId, doc: Omit<T, 'tenantId'>): Promise<boolean> {
    try {
      await this.model.collection.insertOne({ ...doc, tenantId } as never);
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  async updateOne(tenantId: TenantId, filter: ScopedFilter<T>, update: UpdateQuery<T>): Promise<number> {
    const res = await this.model.updateOne(this.scope(tenantId, filter), update).exec();
    return res.modifiedCount;
  }

  /**
   * Idempotent batch write keyed by `_id`: one read of the batch by id (or `known`: the batch's
   * documents as the caller just read them, absent = new), one insert of the new documents, and a
   * replace by `_id` of each changed one. Unchanged documents are not written. Callers re-run the
   * batch after a crash; the result is the same.
   */
  async bulkUpsert(
    tenantId: TenantId,
    docs: Array<Omit<T, 'tenantId'>>,
    known?: ReadonlyMap<string, T>,
  ): Promise<BulkUpsertResult> {
    const result: BulkUpsertResult = { inserted: 0, updated: 0, unchanged: 0 };
    if (docs.length === 0) return result;
    const existing =
      known ??
      (await this.findByIds(
        tenantId,
        docs.map((d) => d._id),
      ));
    const fresh: Array<Record<string, unknown>> = [];
    const changed: Array<Record<string, unknown>> = [];
    for (const doc of docs) {
      const full = { ...doc, tenantId } as Record<string, unknown>;
      const old = existing.get(doc._id);
      if (!old) fresh.push(full);
      else if (sameDocument(old as unknown as Record<string, unknown>, full)) result.unchanged++;
      else changed.push(full);
    }
    const { inserted, taken } = await this.insertManyIgnoringDuplicates(fresh);
    result.inserted = inserted;
    // Read by the caller as new, yet written meanwhile: this batch's version is the later one.
    if (known) changed.push(...taken);
    await mapLimit(changed, ID_LOOKUPS_IN_FLIGHT, async (doc) => {
      await this.model.collection.replaceOne({ _id: doc._id } as never, doc as never);
    });
    result.updated = changed.length;
    return result;
  }

  /** Inserts the documents; answers how many went in and those whose `_id` was taken already. */
  private async insertManyIgnoringDuplicates(
    docs: Array<Record<string, unknown>>,
  ): Promise<{ inserted: number; taken: Array<Record<string, unknown>> }> {
    if (docs.length === 0) return { inserted: 0, taken: [] };
    try {
      const res = await this.model.collection.insertMany(docs as never[], { ordered: false });
      return { inserted: res.insertedCount, taken: [] };
    } catch (error) {
      // A concurrent writer inserted some of them first: those are there.
      const res = (error as { result?: { insertedCount?: number } }).result;
      const writeErrors =
        (error as { writeErrors?: Array<{ code?: number; index?: number }> }).writeErrors ?? [];
      if (!writeErrors.length || !writeErrors.every((e) => e.code === 11000)) throw error;
      const taken = writeErrors.flatMap((e) => (e.index === undefined ? [] : [docs[e.index]!]));
      return { inserted: res?.insertedCount ?? docs.length - writeErrors.length, taken };
    }
  }

  async deleteMany(tenantId: TenantId, filter: ScopedFilter<T> = {} as ScopedFilter<T>): Promise<number> {
    const res = await this.model.deleteMany(this.scope(tenantId, filter)).exec();
    return res.deletedCount;
  }
}

/** Id lookups one repository call keeps in flight (well under the driver's pool of 100). */
const ID_LOOKUPS_IN_FLIGHT = 16;

export interface BulkUpsertResult {
  inserted: number;
  updated: number;
  unchanged: number;
}

function sameDocument(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    if (
      JSON.stringify(a[k] instanceof Date ? (a[k] as Date).toISOString() : a[k]) !==
      JSON.stringify(b[k] instanceof Date ? (b[k] as Date).toISOString() : b[k])
    )
      return false;
  }
  return true;
}

export function isDuplicateKeyError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}
