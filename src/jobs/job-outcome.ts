/** Every job handler says how it ended, so logs and tests see more than "no exception". */
export type JobOutcome =
  | { status: 'done'; detail?: string }
  | { status: 'skipped'; reason: string }
  /** Nothing failed, but work is left: the handler has scheduled its own continuation. */
  | { status: 'continued'; detail?: string };

export type JobHandler<D> = (data: D, ctx: JobContext) => Promise<JobOutcome>;

export interface JobContext {
  /** Extends the job's lock (long jobs call it between pages so no other process takes over). */
  touch(): Promise<void>;
  jobId: string;
}
