import type { MappingEntity } from '../dal/mapping/mapping.entity.js';
import type { SyncRecordEntity } from '../dal/sync-record/sync-record.entity.js';
import type { Result } from '../lib/result.js';
import type { Direction, ObjectKey } from './keys.js';
import type { SyncEnv } from './sync-env.js';

/** A record read from the source system, with its id, its business key and its content. */
export interface LiveRecord<S> {
  id: string;
  /** The key people recognise (code, number, name); also how an existing target is looked up. */
  key: string;
  data: S;
  deleted?: false;
}

/** The source says the record was deleted (deletion log, CRM "deleted" event). */
export interface DeletedRecord {
  id: string;
  key: string;
  deleted: true;
}

export type SourceRecord<S> = LiveRecord<S> | DeletedRecord;

/** One page of source changes and the cursor to persist once the page is done. */
export interface ChangePage<S> {
  records: SourceRecord<S>[];
  cursor: string | null;
}

/** Why a record is not written: the status it gets and the reason shown to people (Chinese). */
export type Refusal =
  | { status: 'skipped'; reason: string }
  | { status: 'waiting'; reason: string }
  | { status: 'failed'; reason: string };

/** What a write did; request/response are kept (redacted) as the attempt log. */
export interface WriteResult {
  targetId: string;
  action: 'created' | 'updated' | 'linked' | 'deleted' | 'voided';
  request?: unknown;
  response?: unknown;
  /** A note kept on a synced record (e.g. "no binding for the salesperson: default owner used"). */
  warning?: string;
}

/**
 * One sync object: its direction and dependencies, how to read a page of source changes, how to
 * map a record (pure), how to find an existing target (mapping first, then business key), and how
 * to write it. The engine owns everything else: order, checkpoints, logs, retries, idempotency.
 */
export interface SyncObjectModule<S, T> {
  key: ObjectKey;
  direction: Direction;
  /** Objects whose first sync must be done before this one runs. */
  dependsOn: readonly ObjectKey[];
  /** Whether the object syncs for this tenant now (presets, first-run-only objects). */
  enabled(env: Pick<SyncEnv, 'settings' | 'initialDone'>): boolean;
  /** Source changes after `cursor` (null: from the beginning — the first run). */
  readChanges(env: SyncEnv, cursor: string | null): AsyncIterable<ChangePage<S>>;
  /** The current source record, for 从源系统重新拉取 and automatic retries (null: gone). */
  fetch(env: SyncEnv, sourceId: string): Promise<LiveRecord<S> | null>;
  /** Optional batch form of `fetch` (change events): id → record, gone ones absent. */
  fetchMany?(env: SyncEnv, sourceIds: readonly string[]): Promise<Map<string, LiveRecord<S>>>;
  /** Source → target content, or a refusal with its reason. No I/O beyond `env` lookups prepared for it. */
  map(env: SyncEnv, record: LiveRecord<S>): Promise<Result<T, Refusal>>;
  /** The existing target of a record that has no mapping yet (business key), or null. */
  match(env: SyncEnv, record: LiveRecord<S>, mapped: T): Promise<string | null>;
  /**
   * Optional batch form of `match` for a page of unmapped records (one query instead of one per
   * record): source id → existing target id.
   */
  matchMany?(
    env: SyncEnv,
    records: ReadonlyArray<{ source: LiveRecord<S>; mapped: T }>,
  ): Promise<Map<string, string>>;
  /**
   * The target refuses a second record with the same business key, and `write` then links the one
   * it has: no lookup before a create (the engine still looks up after a create whose answer was lost).
   */
  createFirst?: true;
  /** Creates (existingId null) or updates the target. */
  write(
    env: SyncEnv,
    record: LiveRecord<S>,
    mapped: T,
    existingId: string | null,
    previous: SyncRecordEntity | null,
  ): Promise<WriteResult>;
  /**
   * After a failed write (its answer lost) the engine found the target by business key and linked
   * it: the module's own marks of a synced record (an order's 同步状态).
   */
  onLinked?(env: SyncEnv, record: LiveRecord<S>, targetId: string): Promise<void>;
  /** A source deletion: what happens to the target (default: skipped, nothing to do). */
  remove?(env: SyncEnv, record: DeletedRecord, mapping: MappingEntity): Promise<WriteResult>;
  /**
   * Whether a record that was synced before may be written again (e.g. delivery notes are
   * create-only); default true.
   */
  updatable?(previous: SyncRecordEntity): boolean;
}

/** The registry holds modules of every record type (method parameters are bivariant, so this is safe). */
export type AnySyncObjectModule = SyncObjectModule<unknown, unknown>;
