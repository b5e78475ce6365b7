import type { Connection } from 'mongoose';
import { TenantScopedRepository, type ScopedFilter, type TenantId } from '../../db/base-repository.js';
import type { Direction, ObjectKey } from '../../sync/keys.js';
import type { SyncRecordEntity, SyncStatus } from './sync-record.entity.js';
import { syncRecordModel } from './sync-record.schema.js';

export const syncRecordId = (
  tenantId: TenantId,
  object: ObjectKey,
  direction: Direction,
  sourceId: string,
): string => `${tenantId}:${object}:${direction}:${sourceId}`;

export interface RecordQuery {
  object?: ObjectKey;
  direction?: Direction;
  status?: SyncStatus;
  from?: Date;
  to?: Date;
  /** Substring of the business key, source id, target id or reason. */
  q?: string;
}

export type StatusCounts = Record<Direction, Partial<Record<ObjectKey, Partial<Record<SyncStatus, number>>>>>;

export class SyncRecordRepository extends TenantScopedRepository<SyncRecordEntity> {
  constructor(conn: Connection) {
    super(syncRecordModel(conn));
  }

  private filterOf(query: RecordQuery): ScopedFilter<SyncRecordEntity> {
    const filter: Record<string, unknown> = {};
    if (query.object) filter.object = query.object;
    if (query.direction) filter.direction = query.direction;
    if (query.status) filter.status = query.status;
    if (query.from || query.to) {
      filter.updatedAt = {
        ...(query.from ? { $gte: query.from } : {}),
        ...(query.to ? { $lte: query.to } : {}),
      };
    }
    if (query.q) {
      const re = new RegExp(query.q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
      filter.$or = [{ sourceKey: re }, { sourceId: re }, { targetId: re }, { reason: re }];
    }
    return filter as ScopedFilter<SyncRecordEntity>;
  }

  async search(
    tenantId: TenantId,
    query: RecordQuery,
    page: number,
    pageSize: number,
  ): Promise<{ total: number; items: SyncRecordEntity[] }> {
    const filter = this.filterOf(query);
    const [total, items] = await Promise.all([
      this.count(tenantId, filter),
      this.find(tenantId, filter, {
        sort: { updatedAt: -1, _id: 1 },
        skip: (page - 1) * pageSize,
        limit: pageSize,
      }),
    ]);
    return { total, items };
  }

  /** Streams every matching record (exports), newest first, a batch at a time. */
  async *scan(tenantId: TenantId, query: RecordQuery, batch = 500): AsyncGenerator<SyncRecordEntity> {
    for (let skip = 0; ; skip += batch) {
      const rows = await this.find(tenantId, this.filterOf(query), {
        sort: { updatedAt: -1, _id: 1 },
        skip,
        limit: batch,
      });
      yield* rows;
      if (rows.length < batch) return;
    }
  }

  dueForRetry(tenantId: TenantId, now: Date, limit: number): Promise<SyncRecordEntity[]> {
    return this.find(
      tenantId,
      { status: 'pending', nextRetryAt: { $lte: now } },
      { sort: { nextRetryAt: 1 }, limit },
    );
  }

  async counts(tenantId: TenantId): Promise<StatusCounts> {
    const rows = await this.model
      .aggregate<{ _id: { direction: Direction; object: ObjectKey; status: SyncStatus }; n: number }>([
        { $match: { tenantId } },
        {
          $group: { _id: { direction: '$direction', object: '$object', status: '$status' }, n: { $sum: 1 } },
        },
      ])
      .exec();
    const out: StatusCounts = { jdy_to_crm: {}, crm_to_jdy: {} };
    for (const { _id, n } of rows) {
      const byObject = (out[_id.direction][_id.object] ??= {});
      byObject[_id.status] = n;
    }
    return out;
  }

  /** Retention: sync records not touched for `days` are removed (mappings stay). */
  async removeOlderThan(tenantId: TenantId, cutoff: Date): Promise<number> {
    return this.deleteMany(tenantId, { updatedAt: { $lt: cutoff } });
  }
}
