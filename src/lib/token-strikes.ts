/**
 * Calls whose freshly refreshed token was refused again, counted per tenant (or account set). A
 * server may expire tokens at any moment — also between our refresh and the repeat — so one such
 * call is a passing failure. Tokens refused again and again with no successful call in between
 * mean the authorisation itself is gone.
 */
export class TokenStrikes {
  private readonly strikes = new Map<string, number>();

  constructor(private readonly limit = 3) {}

  /** A refreshed token was refused again: true when that makes `limit` in a row. */
  strike(key: string): boolean {
    const n = (this.strikes.get(key) ?? 0) + 1;
    this.strikes.set(key, n);
    return n >= this.limit;
  }

  /** A call went through: the count starts again. */
  clear(key: string): void {
    this.strikes.delete(key);
  }
}
