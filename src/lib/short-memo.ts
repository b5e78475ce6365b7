/**
 * Values remembered per key for a short while, so a hot path (a token before every outside call)
 * does not read the database each time. An entry never outlives its own `until`.
 */
export class ShortMemo<T> {
  private readonly entries = new Map<string, { value: T; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  get(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.until > this.now()) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  set(key: string, value: T, until = Infinity): void {
    this.entries.set(key, { value, until: Math.min(until, this.now() + this.ttlMs) });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}
