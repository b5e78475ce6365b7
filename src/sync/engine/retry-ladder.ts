/** §6.4: transient failures are retried after 30 s, 2 min, 10 min, 1 h, 6 h — then failed. */
export const RETRY_LADDER_MS = [30_000, 120_000, 600_000, 3_600_000, 21_600_000] as const;

/** The delay before try number `step + 1` of the ladder, or null when the ladder is used up. */
export const nextRetryDelay = (step: number): number | null => RETRY_LADDER_MS[step] ?? null;

/** How many most recent attempts a sync record keeps. */
export const ATTEMPTS_KEPT = 10;
