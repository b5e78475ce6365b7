import type { Connection } from 'mongoose';
import { TenantScopedRepository, type TenantId } from '../../db/base-repository.js';
import type { ErpConnection } from '../../erp/plugin.js';
import type { SecretBox } from '../../lib/secret-box.js';
import type { ConnectionEntity } from './connection.entity.js';
import { connectionModel } from './connection.schema.js';

export class ConnectionRepository extends TenantScopedRepository<ConnectionEntity> {
  constructor(
    conn: Connection,
    private readonly box: SecretBox,
  ) {
    super(connectionModel(conn));
  }

  get(tenantId: TenantId): Promise<ConnectionEntity | null> {
    return this.findById(tenantId, tenantId);
  }

  /** Connects (or reconnects) the tenant; the secrets are sealed before they are stored. */
  async save(
    tenantId: TenantId,
    erp: string,
    connection: ErpConnection,
    by: string,
    now: Date,
  ): Promise<void> {
    await this.model
      .updateOne(
        { _id: tenantId, tenantId },
        {
          $set: {
            erp,
            accountId: connection.accountId,
            accountName: connection.accountName,
            secrets: this.box.seal(connection.secrets),
            status: 'connected',
            pausedReason: null,
            pausedAt: null,
            connectedAt: now,
            connectedBy: by,
            updatedAt: now,
          },
        },
        { upsert: true },
      )
      .exec();
  }

  /** The plugin-facing connection with its secrets opened. */
  open(entity: ConnectionEntity): ErpConnection {
    return {
      accountId: entity.accountId,
      accountName: entity.accountName,
      secrets: this.box.open(entity.secrets),
    };
  }

  /** A rotated secret from the ERP: every tenant connected to that account set gets it. */
  async updateSecrets(erp: string, accountId: string, secrets: string, now: Date): Promise<void> {
    await this.model
      .updateMany({ erp, accountId }, { $set: { secrets: this.box.seal(secrets), updatedAt: now } })
      .exec();
  }

  async pause(tenantId: TenantId, reason: string, now: Date): Promise<boolean> {
    const res = await this.model
      .updateOne(
        { _id: tenantId, tenantId, status: 'connected' },
        { $set: { status: 'paused', pausedReason: reason, pausedAt: now, updatedAt: now } },
      )
      .exec();
    return res.modifiedCount === 1;
  }

  async resume(tenantId: TenantId, now: Date): Promise<void> {
    await this.model
      .updateOne(
        { _id: tenantId, tenantId },
        { $set: { status: 'connected', pausedReason: null, pausedAt: null, updatedAt: now } },
      )
      .exec();
  }

  async remove(tenantId: TenantId): Promise<void> {
    await this.deleteMany(tenantId, {});
  }
}
