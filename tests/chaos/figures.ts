/** The story size of the chaos suite (CHAOS_RECORDS overrides it) and how its figures are reported. */
import { recordsOf, storyOfSize } from './story.js';

/**
 * About 400 source records: on FerretDB (SQLite) a tenant-scoped lookup costs 25–50 ms, so the
 * three scenarios of a larger story do not fit the suite's few minutes on two cores.
 */
export const CHAOS_RECORDS = Number(process.env.CHAOS_RECORDS ?? 400);

/** One line of measured figures per scenario, for the report (and for whoever reads the log). */
export function report(scenario: string, figures: Record<string, unknown>): void {
  const records = recordsOf(storyOfSize(CHAOS_RECORDS));
  console.log(`chaos ${scenario}: ${JSON.stringify({ story: records, ...figures })}`);
}
