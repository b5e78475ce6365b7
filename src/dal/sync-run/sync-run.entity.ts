import type { ObjectKey } from '../../sync/keys.js';

export type RunTrigger = 'initial' | 'timed' | 'manual' | 'event' | 'retry';
export type RunStatus = 'queued' | 'running' | 'completed' | 'completed_with_errors' | 'failed';

export interface RunCounts {
  seen: number;
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  waiting: number;
  failed: number;
}

export interface ObjectProgress {
  status: 'pending' | 'running' | 'done';
  seen: number;
}

/** One sync run of a tenant: which objects, how far it got, what happened. */
export interface SyncRunEntity {
  _id: string;
  tenantId: string;
  trigger: RunTrigger;
  /** In dependency order. */
  objects: ObjectKey[];
  status: RunStatus;
  counts: RunCounts;
  progress: Partial<Record<ObjectKey, ObjectProgress>>;
  /** Set when the run stopped on a tenant-level problem (e.g. authorisation lost). */
  error: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** Updated after every page; a "running" run with an old heartbeat was left by a crash. */
  heartbeatAt: Date | null;
}

export const emptyCounts = (): RunCounts => ({
  seen: 0,
  created: 0,
  updated: 0,
  unchanged: 0,
  skipped: 0,
  waiting: 0,
  failed: 0,
});
