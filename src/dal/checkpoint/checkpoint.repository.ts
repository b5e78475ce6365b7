import type { Connection } from 'mongoose';
import { TenantScopedRepository, type TenantId } from '../../db/base-repository.js';
import type { Direction, ObjectKey } from '../../sync/keys.js';
import type { CheckpointEntity } from './checkpoint.entity.js';
import { checkpointModel } from './checkpoint.schema.js';

export class CheckpointRepository extends TenantScopedRepository<CheckpointEntity> {
  constructor(conn: Connection) {
    super(checkpointModel(conn));
  }

  get(tenantId: TenantId, object: ObjectKey, direction: Direction): Promise<CheckpointEntity | null> {
    return this.findById(tenantId, `${tenantId}:${object}:${direction}`);
  }

  all(tenantId: TenantId): Promise<CheckpointEntity[]> {
    return this.find(tenantId);
  }

  async save(
    tenantId: TenantId,
    object: ObjectKey,
    direction: Direction,
    cursor: string | null,
    initialDone: boolean,
    now: Date,
  ): Promise<void> {
    await this.model
      .updateOne(
        { _id: `${tenantId}:${object}:${direction}`, tenantId },
        // initialDone only ever turns on.
        {
          $set: { object, direction, cursor, updatedAt: now, ...(initialDone ? { initialDone: true } : {}) },
        },
        { upsert: true },
      )
      .exec();
  }

  async reset(tenantId: TenantId): Promise<void> {
    await this.deleteMany(tenantId);
  }
}
