import type { ErrorClass } from '../../lib/errors.js';
import type { Direction, ObjectKey } from '../../sync/keys.js';

export type SyncStatus = 'synced' | 'skipped' | 'waiting' | 'failed' | 'pending';

/** One try at syncing a record; request and response are redacted JSON text. */
export interface SyncAttempt {
  at: Date;
  runId: string;
  request: string | null;
  response: string | null;
  error: string | null;
}

/** The plugin's row for one source record in one direction: the sync log. */
export interface SyncRecordEntity {
  /** "<tenantId>:<object>:<direction>:<sourceId>" — one row per source record and direction. */
  _id: string;
  tenantId: string;
  object: ObjectKey;
  direction: Direction;
  sourceId: string;
  /** The business key (code, number, name) people recognise. */
  sourceKey: string;
  targetId: string | null;
  status: SyncStatus;
  /** Why it is not synced (in Chinese), or a warning on a synced record. */
  reason: string | null;
  errorClass: ErrorClass | null;
  /** Attempts so far (all time); `attempts` keeps the most recent ones. */
  attemptCount: number;
  attempts: SyncAttempt[];
  /** Position on the transient-retry ladder, and when the next automatic try is due. */
  retryStep: number;
  nextRetryAt: Date | null;
  /** The last source record seen, as JSON text (replayed by 重新同步). */
  snapshot: string;
  /** Hash of the target content last written: unchanged records are not written again. */
  contentHash: string | null;
  runId: string | null;
  createdAt: Date;
  updatedAt: Date;
}
