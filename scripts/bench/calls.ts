/**
 * Reads both sandboxes' call logs while a phase runs (the JDY log keeps only its last 10 000
 * calls, so it is polled every second): calls per path, and the throttled answers — HTTP 429 from
 * Jingdouyun, errorCode 30004 from the CRM (its "too many calls", sent with HTTP 200).
 */
import type { BenchStack } from './stack.js';
import { CORP_ID } from './stack.js';

export interface JdyCall {
  seq: number;
  at: number;
  method: string;
  path: string;
  status: number;
  errcode: number | string | null;
  duration_ms: number;
  body: unknown;
}

interface CrmCall {
  seq: number;
  path: string;
  errorCode: number | null;
}

export interface CallSummary {
  jdyCalls: number;
  jdy429: number;
  crmCalls: number;
  crm30004: number;
  /** "JDY GET /jdy/v2/bd/material_detail" → calls. */
  byPath: Record<string, number>;
}

export class CallLogs {
  private jdySince = 0;
  private crmSince = 0;
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> = Promise.resolve();
  readonly summary: CallSummary = { jdyCalls: 0, jdy429: 0, crmCalls: 0, crm30004: 0, byPath: {} };

  constructor(
    private readonly stack: BenchStack,
    /** Sees every JDY business call (the steady state watches order saves). */
    private readonly onJdyCall: (call: JdyCall) => void = () => undefined,
  ) {}

  /** Skips what is logged so far and starts counting. */
  async start(): Promise<void> {
    await this.newJdyCalls();
    const crm = await this.stack.fx<{ calls: CrmCall[] }>(
      'GET',
      `/__sandbox/calls?corpId=${CORP_ID}&sinceSeq=0`,
    );
    this.crmSince = crm.calls.at(-1)?.seq ?? 0;
    this.timer = setInterval(() => {
      this.polling = this.polling.then(() => this.poll());
    }, 1000);
  }

  /** Reads what is logged so far, then counts from zero (after a warm-up). */
  async reset(): Promise<void> {
    await this.polling;
    await this.poll();
    Object.assign(this.summary, { jdyCalls: 0, jdy429: 0, crmCalls: 0, crm30004: 0, byPath: {} });
  }

  /** Reads the rest and stops. */
  async stop(): Promise<CallSummary> {
    if (this.timer) clearInterval(this.timer);
    await this.polling;
    await this.poll();
    return this.summary;
  }

  private count(key: string): void {
    this.summary.byPath[key] = (this.summary.byPath[key] ?? 0) + 1;
  }

  /** The JDY calls logged since the last read (the log is read in pages of 10 000). */
  private async newJdyCalls(): Promise<JdyCall[]> {
    const calls: JdyCall[] = [];
    for (;;) {
      const page = await this.stack.jdy<{ calls: JdyCall[] }>(
        'GET',
        `/__sandbox/calls?since=${this.jdySince}&limit=10000`,
      );
      if (page.calls.length === 0) return calls;
      this.jdySince = page.calls.at(-1)!.seq;
      calls.push(...page.calls);
    }
  }

  private async poll(): Promise<void> {
    for (const c of await this.newJdyCalls()) {
      if (!c.path.startsWith('/jdy/v2/')) continue;
      this.summary.jdyCalls++;
      if (c.status === 429) this.summary.jdy429++;
      this.count(`JDY ${c.method} ${c.path}`);
      this.onJdyCall(c);
    }
    const crm = await this.stack.fx<{ calls: CrmCall[] }>(
      'GET',
      `/__sandbox/calls?corpId=${CORP_ID}&sinceSeq=${this.crmSince}`,
    );
    for (const c of crm.calls) {
      // The log also lists the sandbox's UI edits (the steady state's orders): not the plugin's calls.
      if (c.path.startsWith('/__sandbox/')) continue;
      this.summary.crmCalls++;
      if (c.errorCode === 30004) this.summary.crm30004++;
      this.count(`CRM ${c.path}`);
    }
    this.crmSince = crm.calls.at(-1)?.seq ?? this.crmSince;
  }
}
