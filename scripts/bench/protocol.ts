/** Messages between scripts/bench.ts and the processes it measures (plugin, naive importer). */

/** [start, end] wall-clock ms of one wait for a client rate limit. */
export type WaitInterval = [number, number];

/** A measured process's figures: cumulative since it started, except where named "since mark". */
export interface ProcessUsage {
  cpuUserMs: number;
  cpuSystemMs: number;
  /** The kernel's peak resident set of the process (getrusage). */
  maxRssBytes: number;
  /** Highest RSS sampled every 100 ms since the previous mark. */
  rssPeakSinceMarkBytes: number;
  rssNowBytes: number;
  /** Live heap after a full collection (what the process holds on to, not what the GC let grow). */
  heapUsedBytes: number;
  jdyWaitMs: number;
  crmWaitMs: number;
  /** JDY rate-limit waits since the previous mark. */
  jdyWaits: WaitInterval[];
}

export interface NaiveCounts {
  /** False when the time budget ran out first. */
  finished: boolean;
  created: number;
  updated: number;
  failed: number;
  firstError: string | null;
}

export type ParentMessage = { type: 'mark' } | { type: 'stop' } | { type: 'run'; budgetMs: number };

export type ChildMessage =
  | { type: 'ready'; url: string }
  | { type: 'mark'; usage: ProcessUsage }
  | { type: 'done'; counts: NaiveCounts; usage: ProcessUsage };
