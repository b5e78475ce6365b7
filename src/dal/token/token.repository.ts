import type { Connection, Model } from 'mongoose';
import { isDuplicateKeyError } from '../../db/base-repository.js';
import { fingerprint, type SecretBox } from '../../lib/secret-box.js';
import type { TokenEntity, TokenKind } from './token.entity.js';
import { tokenModel } from './token.schema.js';

export interface StoredToken {
  token: string;
  fetchedAt: number;
  refreshAt: number;
  expiresAt: number;
}

export interface TokenState {
  token: StoredToken | null;
  authFailedCode: string | null;
}

export const tokenKeys = {
  fxCorp: (tenantId: string) => `fx:corp:${tenantId}`,
  fxApp: (appId: string) => `fx:app:${appId}`,
  jdy: (accountId: string) => `jdy:${accountId}`,
};

const EMPTY = {
  token: null,
  tokenFp: null,
  fetchedAt: null,
  refreshAt: null,
  expiresAt: null,
};

/**
 * Access tokens of every outside system, sealed at rest, keyed by owner (see TokenEntity). Not
 * tenant-scoped: an app token belongs to no tenant, and the key already names its owner.
 */
export class TokenRepository {
  private readonly model: Model<TokenEntity>;

  constructor(
    conn: Connection,
    private readonly box: SecretBox,
  ) {
    this.model = tokenModel(conn);
  }

  async read(key: string): Promise<TokenState> {
    const doc = await this.model.findById(key).lean<TokenEntity>().exec();
    if (!doc) return { token: null, authFailedCode: null };
    const token =
      doc.token && doc.fetchedAt && doc.refreshAt && doc.expiresAt
        ? {
            token: this.box.open(doc.token),
            fetchedAt: doc.fetchedAt.getTime(),
            refreshAt: doc.refreshAt.getTime(),
            expiresAt: doc.expiresAt.getTime(),
          }
        : null;
    return { token, authFailedCode: doc.authFailedCode };
  }

  async save(key: string, kind: TokenKind, token: StoredToken): Promise<void> {
    await this.ensure(key, kind);
    await this.model
      .updateOne(
        { _id: key },
        {
          $set: {
            token: this.box.seal(token.token),
            tokenFp: fingerprint(token.token),
            fetchedAt: new Date(token.fetchedAt),
            refreshAt: new Date(token.refreshAt),
            expiresAt: new Date(token.expiresAt),
          },
        },
      )
      .exec();
  }

  /** Drops the cached token only if it is still `token`: another process may have replaced it. */
  async clearIf(key: string, token: string): Promise<void> {
    await this.model.updateOne({ _id: key, tokenFp: fingerprint(token) }, { $set: EMPTY }).exec();
  }

  /**
   * Takes the refresh lease when it is free or expired. The document is created first so that the
   * conditional update decides between racing processes (one of them modifies it, the others not).
   */
  async tryLease(key: string, kind: TokenKind, holder: string, now: number, ttlMs: number): Promise<boolean> {
    await this.ensure(key, kind);
    const res = await this.model
      .updateOne(
        { _id: key, $or: [{ leaseUntil: null }, { leaseUntil: { $lte: new Date(now) } }] },
        { $set: { leaseHolder: holder, leaseUntil: new Date(now + ttlMs) } },
      )
      .exec();
    return res.modifiedCount === 1;
  }

  async releaseLease(key: string, holder: string): Promise<void> {
    await this.model
      .updateOne({ _id: key, leaseHolder: holder }, { $set: { leaseHolder: null, leaseUntil: null } })
      .exec();
  }

  /** The credentials are refused: no call until reinstall (remove) clears the mark. */
  async markAuthFailed(key: string, kind: TokenKind, code: string, now: number): Promise<void> {
    await this.ensure(key, kind);
    await this.model
      .updateOne({ _id: key }, { $set: { ...EMPTY, authFailedCode: code, authFailedAt: new Date(now) } })
      .exec();
  }

  async remove(key: string): Promise<void> {
    await this.model.deleteOne({ _id: key }).exec();
  }

  private async ensure(key: string, kind: TokenKind): Promise<void> {
    try {
      await this.model.collection.insertOne({
        _id: key,
        kind,
        ...EMPTY,
        leaseHolder: null,
        leaseUntil: null,
        authFailedCode: null,
        authFailedAt: null,
      } as never);
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }
}
