import type { Connection, Model } from 'mongoose';
import { isDuplicateKeyError } from '../../db/base-repository.js';
import type { LockEntity } from './lock.entity.js';
import { lockModel } from './lock.schema.js';

/**
 * Leases in the database, so that several plugin processes never work on the same thing at once
 * (a tenant's sync, a token refresh). Not tenant data: keys name what they guard.
 */
export class LockRepository {
  private readonly model: Model<LockEntity>;

  constructor(conn: Connection) {
    this.model = lockModel(conn);
  }

  /** Takes the lease when free or expired; true when this owner holds it now. */
  async acquire(key: string, owner: string, ttlMs: number, now: Date): Promise<boolean> {
    const expiresAt = new Date(now.getTime() + ttlMs);
    try {
      await this.model.collection.insertOne({ _id: key, owner, expiresAt } as never);
      return true;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    const res = await this.model
      .updateOne({ _id: key, $or: [{ expiresAt: { $lt: now } }, { owner }] }, { $set: { owner, expiresAt } })
      .exec();
    return res.matchedCount === 1;
  }

  /** Extends a lease this owner holds; false when it was lost (expired and taken). */
  async extend(key: string, owner: string, ttlMs: number, now: Date): Promise<boolean> {
    const res = await this.model
      .updateOne({ _id: key, owner }, { $set: { expiresAt: new Date(now.getTime() + ttlMs) } })
      .exec();
    return res.matchedCount === 1;
  }

  async release(key: string, owner: string): Promise<void> {
    await this.model.deleteOne({ _id: key, owner }).exec();
  }
}
