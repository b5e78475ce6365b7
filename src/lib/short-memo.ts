/**
 * Values remembered per key for a short while, so a hot path (a token before every outside call)
 * does not read the database each time. An entry never outlives its own `until`.
 */
export class ShortMemo<T> {
  private readonly entries = new Map<string, { value: T; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
    private readonly maxEntries = Infinity,
  ) {}

  get(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.until > this.now()) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  set(key: string, value: T, until = Infinity): void {
    if (this.entries.size >= this.maxEntries) {
      const now = this.now();
      for (const [k, entry] of this.entries) if (entry.until <= now) this.entries.delete(k);
      // All still fresh: drop the oldest (a Map keeps insertion order), so memory stays bounded.
      if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value ?? '');
    }
    this.entries.set(key, { value, until: Math.min(until, this.now() + this.ttlMs) });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
