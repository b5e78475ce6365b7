import { randomBytes } from 'node:crypto';
import type { Connection, Model } from 'mongoose';
import { asTenantId, type TenantId } from '../../db/base-repository.js';
import { fingerprint, type SecretBox } from '../../lib/secret-box.js';
import type { TenantEntity } from './tenant.entity.js';
import { tenantModel } from './tenant.schema.js';

/** The root aggregate: not tenant-scoped itself, every other repository is. */
export class TenantRepository {
  private readonly model: Model<TenantEntity>;

  constructor(
    conn: Connection,
    private readonly box: SecretBox,
  ) {
    this.model = tenantModel(conn);
  }

  async findById(id: TenantId): Promise<TenantEntity | null> {
    return this.model.findById(id).lean<TenantEntity>().exec();
  }

  async findByCorpId(corpId: string): Promise<TenantEntity | null> {
    return this.model.findOne({ corpId }).lean<TenantEntity>().exec();
  }

  async findByPermanentCode(code: string): Promise<TenantEntity | null> {
    return this.model
      .findOne({ permanentCodeFp: fingerprint(code) })
      .lean<TenantEntity>()
      .exec();
  }

  async listActive(): Promise<TenantEntity[]> {
    return this.model.find({ status: 'active' }).lean<TenantEntity[]>().exec();
  }

  /**
   * Creates the tenant of a corpId, or re-enables it with the new permanent code (a reinstall keeps
   * the tenant id, its settings and its mappings). Idempotent: a repeated push changes nothing more.
   */
  async activate(corpId: string, name: string, permanentCode: string, now: Date): Promise<TenantEntity> {
    const existing = await this.findByCorpId(corpId);
    const sealed = this.box.seal(permanentCode);
    if (existing) {
      await this.model
        .updateOne(
          { _id: existing._id },
          {
            $set: {
              status: 'active',
              permanentCode: sealed,
              permanentCodeFp: fingerprint(permanentCode),
              uninstalledAt: null,
              ...(name ? { name } : {}),
              ...(existing.status === 'active' ? {} : { installedAt: now }),
            },
          },
        )
        .exec();
      return (await this.findByCorpId(corpId))!;
    }
    const doc: TenantEntity = {
      _id: `t_${randomBytes(8).toString('hex')}`,
      corpId,
      name,
      status: 'active',
      permanentCode: sealed,
      permanentCodeFp: fingerprint(permanentCode),
      hookSecret: this.box.seal(randomBytes(24).toString('base64url')),
      installedAt: now,
      uninstalledAt: null,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.model.create(doc);
    } catch (error) {
      // Two pushes raced: the unique corpId index let one through; use it.
      if ((error as { code?: number }).code !== 11000) throw error;
    }
    return (await this.findByCorpId(corpId))!;
  }

  async markUninstalled(id: TenantId, now: Date): Promise<void> {
    await this.model.updateOne({ _id: id }, { $set: { status: 'uninstalled', uninstalledAt: now } }).exec();
  }

  permanentCodeOf(tenant: TenantEntity): string {
    return this.box.open(tenant.permanentCode);
  }

  hookSecretOf(tenant: TenantEntity): string {
    return this.box.open(tenant.hookSecret);
  }

  static idOf(tenant: TenantEntity): TenantId {
    return asTenantId(tenant._id);
  }
}
