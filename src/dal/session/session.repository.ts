import type { Connection, Model } from 'mongoose';
import { asTenantId, type TenantId } from '../../db/base-repository.js';
import { fingerprint } from '../../lib/secret-box.js';
import type { SessionEntity } from './session.entity.js';
import { sessionModel } from './session.schema.js';

export type NewSession = Omit<SessionEntity, '_id'>;

/**
 * Sessions are found by the id in the cookie before any tenant is known, so this repository is
 * keyed by the (hashed) session id; the session then names its tenant for everything else.
 */
export class SessionRepository {
  private readonly model: Model<SessionEntity>;

  constructor(conn: Connection) {
    this.model = sessionModel(conn);
  }

  async create(sessionId: string, session: NewSession): Promise<void> {
    await this.model.collection.insertOne({ _id: fingerprint(sessionId), ...session } as never);
  }

  /** The live session of a cookie value, or null when unknown or expired. */
  async findLive(sessionId: string, now: Date): Promise<SessionEntity | null> {
    const doc = await this.model.findById(fingerprint(sessionId)).lean<SessionEntity>().exec();
    return doc && doc.expiresAt > now ? doc : null;
  }

  async remove(sessionId: string): Promise<void> {
    await this.model.deleteOne({ _id: fingerprint(sessionId) }).exec();
  }

  async removeTenant(tenantId: TenantId): Promise<number> {
    return (await this.model.deleteMany({ tenantId }).exec()).deletedCount;
  }

  async removeExpired(now: Date): Promise<number> {
    return (await this.model.deleteMany({ expiresAt: { $lte: now } }).exec()).deletedCount;
  }

  static tenantOf(session: SessionEntity): TenantId {
    return asTenantId(session.tenantId);
  }
}
