import { randomBytes } from 'node:crypto';
import type { Connection } from 'mongoose';
import { TenantScopedRepository, type TenantId } from '../../db/base-repository.js';
import type { ErpLogin } from '../../erp/plugin.js';
import type { SecretBox } from '../../lib/secret-box.js';
import type { ErpLoginEntity } from './erp-login.entity.js';
import { erpLoginModel } from './erp-login.schema.js';

export const LOGIN_TTL_MS = 10 * 60_000;

export class ErpLoginRepository extends TenantScopedRepository<ErpLoginEntity> {
  constructor(
    conn: Connection,
    private readonly box: SecretBox,
  ) {
    super(erpLoginModel(conn));
  }

  async hold(tenantId: TenantId, login: ErpLogin, now: Date): Promise<{ loginId: string; expiresAt: Date }> {
    const loginId = `l_${randomBytes(16).toString('base64url')}`;
    const expiresAt = new Date(now.getTime() + LOGIN_TTL_MS);
    await this.insertIfAbsent(tenantId, {
      _id: loginId,
      state: this.box.seal(JSON.stringify(login)),
      expiresAt,
    });
    return { loginId, expiresAt };
  }

  /** The held login of this tenant, or null when unknown, of another tenant, or expired. */
  async take(tenantId: TenantId, loginId: string, now: Date): Promise<ErpLogin | null> {
    const row = await this.findById(tenantId, loginId);
    if (!row || row.expiresAt.getTime() <= now.getTime()) return null;
    return JSON.parse(this.box.open(row.state)) as ErpLogin;
  }

  async drop(tenantId: TenantId, loginId: string): Promise<void> {
    await this.deleteMany(tenantId, { _id: loginId });
  }

  /** Housekeeping: expired logins of every tenant. */
  async removeExpired(now: Date): Promise<number> {
    return (await this.model.deleteMany({ expiresAt: { $lte: now } }).exec()).deletedCount;
  }
}
