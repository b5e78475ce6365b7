import type { JdyToken, JdyTokenStore } from '../../../plugins/jingdouyun/client/index.js';
import { ShortMemo } from '../../lib/short-memo.js';
import { tokenKeys, type TokenRepository } from './token.repository.js';

/** How long a token read from the database is used without reading it again. */
const MEMO_MS = 10_000;

/**
 * Jingdouyun app-tokens in the shared `tokens` collection, so every worker uses one per account
 * set; each process remembers what it read for a few seconds (a token is asked for before every call).
 */
export class DbJdyTokenStore implements JdyTokenStore {
  private readonly memo: ShortMemo<JdyToken>;

  constructor(
    private readonly tokens: TokenRepository,
    private readonly now: () => number,
  ) {
    this.memo = new ShortMemo(MEMO_MS, now);
  }

  async get(accountId: string): Promise<JdyToken | undefined> {
    const known = this.memo.get(accountId);
    if (known) return known;
    const { token } = await this.tokens.read(tokenKeys.jdy(accountId));
    if (!token) return undefined;
    const found = { token: token.token, expiresAt: token.expiresAt };
    this.memo.set(accountId, found, found.expiresAt);
    return found;
  }

  async set(accountId: string, token: JdyToken): Promise<void> {
    // The JDY transport applies its own refresh margin, so refreshAt is the expiry itself.
    await this.tokens.save(tokenKeys.jdy(accountId), 'jdy', {
      token: token.token,
      fetchedAt: this.now(),
      refreshAt: token.expiresAt,
      expiresAt: token.expiresAt,
    });
    this.memo.set(accountId, token, token.expiresAt);
  }

  async clearIf(accountId: string, token: string): Promise<void> {
    if (this.memo.get(accountId)?.token === token) this.memo.delete(accountId);
    await this.tokens.clearIf(tokenKeys.jdy(accountId), token);
  }
}
