/** The story size of the chaos suite (CHAOS_RECORDS overrides it) and how its figures are reported. */
import { recordsOf, storyOfSize } from './story.js';

/**
 * The 5 000-record story by default (about 6 100 source records with the later phases):
 * the three scenarios (faults, ten SIGKILLs, a database outage) take about 25 minutes on two
 * cores. CHAOS_RECORDS=400 runs a small story in a few minutes while working on the suite.
 */
export const CHAOS_RECORDS = Number(process.env.CHAOS_RECORDS ?? 5000);

/** The story size the scenarios' time limits were set for. */
const LIMITS_SIZED_FOR = 400;

/** A time limit sized for a 400-record story, grown in proportion for a larger one. */
export const scaled = (ms: number): number => Math.round(ms * Math.max(1, CHAOS_RECORDS / LIMITS_SIZED_FOR));

/** One line of measured figures per scenario, for the report (and for whoever reads the log). */
export function report(scenario: string, figures: Record<string, unknown>): void {
  const records = recordsOf(storyOfSize(CHAOS_RECORDS));
  console.log(`chaos ${scenario}: ${JSON.stringify({ story: records, ...figures })}`);
}
