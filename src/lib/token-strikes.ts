/**
 * Freshly refreshed tokens refused again, counted per tenant (or account set). A server may expire
 * tokens at any moment — also between our refresh and the repeat — so one such token is a passing
 * failure. Strikes are counted by token, not by call: callers refused at once share one refresh and
 * its one token, so many calls in flight meeting one expiry are one strike. Several fresh tokens
 * refused with no successful call in between mean the authorisation itself is gone.
 */
export class TokenStrikes {
  private readonly refused = new Map<string, Set<string>>();

  constructor(private readonly limit = 3) {}

  /** A refreshed token was refused again: true when that makes `limit` tokens since the last success. */
  strike(key: string, token: string): boolean {
    const tokens = this.refused.get(key) ?? new Set<string>();
    tokens.add(token);
    this.refused.set(key, tokens);
    return tokens.size >= this.limit;
  }

  /** A call went through: the count starts again. */
  clear(key: string): void {
    this.refused.delete(key);
  }
}
