/** The story size of the chaos suite (CHAOS_RECORDS overrides it) and how its figures are reported. */
import { recordsOf, storyOfSize } from './story.js';

/**
 * About 400 source records by default, so the three scenarios (faults, ten SIGKILLs, a database
 * outage) stay within minutes on two cores; CHAOS_RECORDS runs a larger story.
 */
export const CHAOS_RECORDS = Number(process.env.CHAOS_RECORDS ?? 400);

/** A time limit sized for the default story, grown in proportion for a larger one. */
export const scaled = (ms: number): number => Math.round(ms * Math.max(1, CHAOS_RECORDS / 400));

/** One line of measured figures per scenario, for the report (and for whoever reads the log). */
export function report(scenario: string, figures: Record<string, unknown>): void {
  const records = recordsOf(storyOfSize(CHAOS_RECORDS));
  console.log(`chaos ${scenario}: ${JSON.stringify({ story: records, ...figures })}`);
}
