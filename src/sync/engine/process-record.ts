import { createHash } from 'node:crypto';
import type { MappingEntity } from '../../dal/mapping/mapping.entity.js';
import type { SyncAttempt, SyncRecordEntity, SyncStatus } from '../../dal/sync-record/sync-record.entity.js';
import type { RunCounts } from '../../dal/sync-run/sync-run.entity.js';
import { toStoredPayload } from '../../db/payload.js';
import { classOf, isIntegrationError, messageOf, type ErrorClass } from '../../lib/errors.js';
import { redact } from '../../lib/redact.js';
import type { Direction } from '../keys.js';
import type { Result } from '../../lib/result.js';
import type { AnySyncObjectModule, Refusal, SourceRecord, WriteResult } from '../object-module.js';
import type { SyncEnv } from '../sync-env.js';
import { ATTEMPTS_KEPT, nextRetryDelay } from './retry-ladder.js';

/** What processing one record decided; the caller persists `record` and adds `count`. */
export interface RecordResult {
  record: Omit<SyncRecordEntity, 'tenantId'>;
  count: keyof RunCounts;
  /** An authorisation problem: the tenant must pause and the run stop. */
  authLost: string | null;
}

/** Links and lookups the engine gives `processRecord`, so it needs no repositories itself. */
export interface RecordPorts {
  /** The mapping of this source record (direction-aware), or null. */
  mapping: MappingEntity | null;
  /** A target found in advance by a batch business-key lookup, when the module has one. */
  prematched?: string | null;
  /** The record already mapped for that lookup (mapping is pure: no need to do it twice). */
  premapped?: Result<unknown, Refusal>;
  /** Stores the link source ↔ target; false when it contradicts an existing link. */
  link(sourceId: string, targetId: string, sourceKey: string): Promise<boolean>;
}

export const hashOf = (value: unknown): string =>
  createHash('sha256').update(stableJson(value)).digest('hex');

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export const targetIdOf = (mapping: MappingEntity | null, direction: Direction): string | null =>
  mapping ? (direction === 'jdy_to_crm' ? mapping.crmId : mapping.erpId) : null;

/**
 * The life of one source record in one try: map it, skip it when nothing changed, find its
 * target (mapping, then business key unless the module creates first), write it, link it, and
 * log the attempt — or classify the failure (data → failed now; transient → pending on the retry
 * ladder; auth → pause the tenant).
 */
export async function processRecord(
  env: SyncEnv,
  module: AnySyncObjectModule,
  source: SourceRecord<unknown>,
  previous: SyncRecordEntity | null,
  ports: RecordPorts,
): Promise<RecordResult> {
  const now = env.clock.now();
  const base: Omit<SyncRecordEntity, 'tenantId'> = {
    _id: `${env.tenantId}:${module.key}:${module.direction}:${source.id}`,
    object: module.key,
    direction: module.direction,
    sourceId: source.id,
    sourceKey: source.key,
    targetId: previous?.targetId ?? targetIdOf(ports.mapping, module.direction),
    status: 'pending',
    reason: null,
    errorClass: null,
    attemptCount: (previous?.attemptCount ?? 0) + 1,
    attempts: previous?.attempts ?? [],
    retryStep: previous?.retryStep ?? 0,
    nextRetryAt: null,
    // A deletion is stored as a null snapshot, so replaying it deletes again.
    snapshot: toStoredPayload(source.deleted ? null : source.data),
    contentHash: previous?.contentHash ?? null,
    runId: env.run.id,
    createdAt: previous?.createdAt ?? new Date(now),
    updatedAt: new Date(now),
  };
  const attempt = (request: unknown, response: unknown, error: string | null): SyncAttempt[] =>
    [
      ...base.attempts,
      {
        at: new Date(now),
        runId: env.run.id,
        request: request === undefined ? null : toStoredPayload(redact(request)),
        response: response === undefined ? null : toStoredPayload(redact(response)),
        error,
      },
    ].slice(-ATTEMPTS_KEPT);
  const settle = (
    status: SyncStatus,
    count: keyof RunCounts,
    extra: Partial<Omit<SyncRecordEntity, 'tenantId'>>,
    authLost: string | null = null,
  ): RecordResult => ({ record: { ...base, status, ...extra }, count, authLost });

  let mapped: unknown;
  try {
    if (source.deleted) {
      if (!ports.mapping || !module.remove) {
        const reason = ports.mapping
          ? '源记录已删除；该对象不同步删除，目标记录保持不变'
          : '源记录已删除，目标系统中没有对应记录';
        return settle('skipped', 'skipped', { reason, retryStep: 0 });
      }
      // The deletion log is read in overlapping windows too: a deletion already carried out is not redone.
      if (previous?.status === 'synced' && previous.snapshot === base.snapshot) {
        return settle('synced', 'unchanged', {
          reason: previous.reason,
          retryStep: 0,
          attemptCount: previous.attemptCount,
        });
      }
      const removed = await module.remove(env, source, ports.mapping);
      return settle('synced', 'updated', {
        targetId: removed.targetId,
        reason: removed.warning ?? null,
        retryStep: 0,
        attempts: attempt(removed.request, removed.response, null),
      });
    }

    const result = ports.premapped ?? (await module.map(env, source));
    if (!result.ok) {
      const { status, reason } = result.error;
      const count = status === 'failed' ? 'failed' : status;
      return settle(status, count, {
        reason,
        errorClass: status === 'failed' ? 'data' : null,
        retryStep: 0,
        attempts: status === 'failed' ? attempt(source.data, undefined, reason) : base.attempts,
      });
    }
    mapped = result.value;
    const hash = hashOf(mapped);
    const existing = targetIdOf(ports.mapping, module.direction);
    // contentHash is what the last successful write sent, whatever happened since: a record re-read
    // and then held up by a passing failure (e.g. its mapping read timed out) is not rewritten on
    // retry — an audited ERP order would refuse the write.
    if (existing && previous && (previous.contentHash === hash || module.updatable?.(previous) === false)) {
      return settle('synced', 'unchanged', {
        // A failure's reason does not outlive it; a synced record's note (a warning) does.
        reason: previous.status === 'synced' ? previous.reason : null,
        retryStep: 0,
        attemptCount: previous.attemptCount,
      });
    }

    let targetId =
      existing ??
      (ports.prematched !== undefined
        ? ports.prematched
        : module.createFirst
          ? null
          : await module.match(env, source, mapped));
    let written: WriteResult;
    try {
      written = await module.write(env, source, mapped, targetId, previous);
    } catch (error) {
      // A create whose answer was lost — or that succeeded before a later step of the write failed
      // for a passing reason — may have happened: look it up before anything else.
      if (
        targetId ||
        !isIntegrationError(error) ||
        (!error.outcomeUnknown && error.errorClass !== 'transient')
      )
        throw error;
      targetId = await module.match(env, source, mapped);
      if (!targetId) throw error;
      await module.onLinked?.(env, source, targetId);
      written = { targetId, action: 'linked', request: mapped };
    }
    if (!existing && !(await ports.link(source.id, written.targetId, source.key))) {
      return settle('failed', 'failed', {
        reason: '目标记录已与另一条源记录关联，未重复关联；请检查重复数据或删除旧的映射',
        errorClass: 'data',
        targetId: written.targetId,
        retryStep: 0,
        attempts: attempt(written.request ?? mapped, written.response, 'mapping conflict'),
      });
    }
    const count = written.action === 'created' ? 'created' : 'updated';
    return settle('synced', count, {
      targetId: written.targetId,
      contentHash: hash,
      reason: written.warning ?? null,
      retryStep: 0,
      attempts: attempt(written.request ?? mapped, written.response, null),
    });
  } catch (error) {
    // Our own database failing is no fault of the record: the page stops, and the run resumes
    // from its checkpoint once the database is back.
    if (error instanceof Error && error.name.startsWith('Mongo')) throw error;
    return failure(error, mapped ?? (source.deleted ? { deleted: source.id } : source.data));
  }

  function failure(error: unknown, request: unknown): RecordResult {
    const errorClass: ErrorClass = classOf(error);
    const reason = messageOf(error);
    const attempts = attempt(
      request,
      isIntegrationError(error) ? { code: error.code, traceId: error.traceId } : undefined,
      reason,
    );
    if (errorClass === 'transient') {
      const delay = nextRetryDelay(base.retryStep);
      if (delay === null) {
        return settle('failed', 'failed', {
          reason: `多次重试仍失败：${reason}`,
          errorClass,
          attempts,
          retryStep: 0,
        });
      }
      return settle('pending', 'failed', {
        reason: `暂时失败，将自动重试：${reason}`,
        errorClass,
        attempts,
        retryStep: base.retryStep + 1,
        nextRetryAt: new Date(now + delay),
      });
    }
    if (errorClass === 'auth') {
      return settle('pending', 'failed', { reason: `同步已暂停：${reason}`, errorClass, attempts }, reason);
    }
    return settle('failed', 'failed', { reason, errorClass, attempts, retryStep: 0 });
  }
}
