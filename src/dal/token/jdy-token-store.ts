import type { JdyToken, JdyTokenStore } from '../../../plugins/jingdouyun/client/index.js';
import { tokenKeys, type TokenRepository } from './token.repository.js';

/** Jingdouyun app-tokens in the shared `tokens` collection, so every worker uses one per account set. */
export class DbJdyTokenStore implements JdyTokenStore {
  constructor(
    private readonly tokens: TokenRepository,
    private readonly now: () => number,
  ) {}

  async get(accountId: string): Promise<JdyToken | undefined> {
    const { token } = await this.tokens.read(tokenKeys.jdy(accountId));
    return token ? { token: token.token, expiresAt: token.expiresAt } : undefined;
  }

  async set(accountId: string, token: JdyToken): Promise<void> {
    // The JDY transport applies its own refresh margin, so refreshAt is the expiry itself.
    await this.tokens.save(tokenKeys.jdy(accountId), 'jdy', {
      token: token.token,
      fetchedAt: this.now(),
      refreshAt: token.expiresAt,
      expiresAt: token.expiresAt,
    });
  }

  async clearIf(accountId: string, token: string): Promise<void> {
    await this.tokens.clearIf(tokenKeys.jdy(accountId), token);
  }
}
