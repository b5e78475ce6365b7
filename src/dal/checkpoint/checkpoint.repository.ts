import type { Connection } from 'mongoose';
import { TenantScopedRepository, type TenantId } from '../../db/base-repository.js';
import type { ObjectKey } from '../../sync/keys.js';
import type { CheckpointEntity } from './checkpoint.entity.js';
import { checkpointModel } from './checkpoint.schema.js';

export class CheckpointRepository extends TenantScopedRepository<CheckpointEntity> {
  constructor(conn: Connection) {
    super(checkpointModel(conn));
  }

  get(tenantId: TenantId, object: ObjectKey): Promise<CheckpointEntity | null> {
    return this.findById(tenantId, `${tenantId}:${object}`);
  }

  async all(tenantId: TenantId): Promise<Map<ObjectKey, CheckpointEntity>> {
    return new Map((await this.find(tenantId)).map((c) => [c.object, c]));
  }

  async save(
    tenantId: TenantId,
    object: ObjectKey,
    cursor: string | null,
    initialDone: boolean,
    now: Date,
  ): Promise<void> {
    await this.model
      .updateOne(
        { _id: `${tenantId}:${object}`, tenantId },
        // initialDone only ever turns on.
        { $set: { object, cursor, updatedAt: now, ...(initialDone ? { initialDone: true } : {}) } },
        { upsert: true },
      )
      .exec();
  }

  async reset(tenantId: TenantId): Promise<void> {
    await this.deleteMany(tenantId);
  }
}
