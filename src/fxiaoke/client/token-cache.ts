import { randomBytes } from 'node:crypto';
import type { TokenKind } from '../../dal/token/token.entity.js';
import type { StoredToken, TokenRepository } from '../../dal/token/token.repository.js';
import type { Clock } from '../../lib/clock.js';
import { ShortMemo } from '../../lib/short-memo.js';
import { fxError } from './errors.js';

/** A token as the CRM answered it. */
export interface FetchedToken {
  token: string;
  /** Seconds, from the answer. */
  expiresIn: number;
}

/** Refresh when fewer than 300 s remain (§12 item 2). */
const REFRESH_MARGIN_S = 300;
/** Longer than a token call with two 6 s waits after 30004. */
const LEASE_MS = 60_000;
const LEASE_POLL_MS = 250;
/** How long a token read from the database is used without reading it again. */
const MEMO_MS = 10_000;

/**
 * Corp and app tokens of the CRM, cached in the `tokens` collection. One refresh per key at a time:
 * in this process through a shared promise, across processes through the lease in the document,
 * since the CRM allows 10 token calls a minute and no concurrent ones (§2.3).
 */
export class FxTokenCache {
  private readonly flights = new Map<string, Promise<string>>();
  private readonly memo: ShortMemo<string>;
  readonly holder = `${process.pid}:${randomBytes(6).toString('hex')}`;

  constructor(
    private readonly tokens: TokenRepository,
    private readonly clock: Clock,
  ) {
    this.memo = new ShortMemo(MEMO_MS, () => clock.now());
  }

  /** A valid token for `key`, fetched with `fetch` when none is cached or it is due for refresh. */
  get(key: string, kind: TokenKind, fetch: () => Promise<FetchedToken>): Promise<string> {
    const known = this.memo.get(key);
    if (known !== undefined) return Promise.resolve(known);
    let flight = this.flights.get(key);
    if (!flight) {
      flight = this.resolve(key, kind, fetch).finally(() => this.flights.delete(key));
      this.flights.set(key, flight);
    }
    return flight;
  }

  /**
   * After a token error: drop `failed` only if it is still the cached one (another caller may have
   * replaced it already), then get a token. A refresh already under way (joined here) may bring
   * back the very token just refused — fetched before the CRM revoked it — so that case asks once
   * more. The same string from a fetch of our own means the CRM refuses this token although it
   * hands it out: the credentials are broken, so say so and never loop.
   */
  async replace(
    key: string,
    kind: TokenKind,
    failed: string,
    fetch: () => Promise<FetchedToken>,
  ): Promise<string> {
    let next = failed;
    for (let asked = 0; next === failed && asked < 2; asked++) {
      // A refresh that handed back the refused token may still be finishing (releasing its lease):
      // let it end first, or this ask would join it and be handed the same token again.
      await this.flights.get(key)?.catch(() => undefined);
      this.memo.delete(key);
      await this.tokens.clearIf(key, failed);
      next = await this.get(key, kind, fetch);
    }
    if (next === failed) {
      await this.markAuthFailed(key, kind, 'same_token');
      throw fxError({
        code: 20016,
        errorClass: 'auth',
        message: '纷享销客拒绝了新获取的访问令牌，需要重新授权',
      });
    }
    return next;
  }

  async store(key: string, kind: TokenKind, fetched: FetchedToken): Promise<void> {
    const stored = this.toStored(fetched);
    await this.tokens.save(key, kind, stored);
    this.memo.set(key, stored.token, stored.refreshAt);
  }

  async markAuthFailed(key: string, kind: TokenKind, code: string): Promise<void> {
    this.memo.delete(key);
    await this.tokens.markAuthFailed(key, kind, code, this.clock.now());
  }

  async drop(key: string): Promise<void> {
    this.memo.delete(key);
    await this.tokens.remove(key);
  }

  private toStored(fetched: FetchedToken): StoredToken {
    const now = this.clock.now();
    return {
      token: fetched.token,
      fetchedAt: now,
      refreshAt: now + Math.max(0, fetched.expiresIn - REFRESH_MARGIN_S) * 1000,
      expiresAt: now + fetched.expiresIn * 1000,
    };
  }

  private async resolve(key: string, kind: TokenKind, fetch: () => Promise<FetchedToken>): Promise<string> {
    const deadline = this.clock.now() + LEASE_MS + LEASE_POLL_MS * 4;
    for (;;) {
      const state = await this.tokens.read(key);
      if (state.authFailedCode) {
        throw fxError({
          code: state.authFailedCode,
          errorClass: 'auth',
          message: '纷享销客授权已失效，需要管理员重新安装或授权插件',
        });
      }
      if (state.token && this.clock.now() < state.token.refreshAt) {
        this.memo.set(key, state.token.token, state.token.refreshAt);
        return state.token.token;
      }
      if (await this.tokens.tryLease(key, kind, this.holder, this.clock.now(), LEASE_MS)) {
        try {
          // Another process may have refreshed between our read and our lease.
          const again = await this.tokens.read(key);
          if (again.token && this.clock.now() < again.token.refreshAt) return again.token.token;
          const fetched = await fetch();
          const stored = this.toStored(fetched);
          await this.tokens.save(key, kind, stored);
          this.memo.set(key, stored.token, stored.refreshAt);
          return fetched.token;
        } finally {
          await this.tokens.releaseLease(key, this.holder);
        }
      }
      // Another process holds the refresh: a token only due for refresh, not expired, serves
      // meanwhile — so a refresher that died holding the lease stalls no one before expiry.
      if (state.token && this.clock.now() < state.token.expiresAt) return state.token.token;
      if (this.clock.now() > deadline) {
        throw fxError({
          code: 'token_lease',
          errorClass: 'transient',
          message: '等待访问令牌刷新超时',
          retryAfterMs: 5000,
        });
      }
      await this.clock.sleep(LEASE_POLL_MS);
    }
  }
}
