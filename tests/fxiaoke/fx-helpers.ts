/** Shared helpers of the CRM client and entry-point tests. */
import axios, { type AxiosInstance } from 'axios';
import type { SandboxHarness } from '../../src/fxiaoke/sandbox/testing.js';
import type { Clock } from '../../src/lib/clock.js';

/**
 * A virtual clock shared with the sandbox: sleeping advances both clocks instead of waiting, so
 * rate windows, backoffs and token ages run at full speed and agree. Time only jumps once no
 * request of `http` is in flight: a request sent before the jump must not arrive after it.
 */
export class SandboxLinkedClock implements Clock {
  private offset = 0;
  private inFlight = 0;
  slept = 0;
  readonly http: AxiosInstance = axios.create();
  private constructor(
    private readonly h: SandboxHarness,
    private readonly base: number,
  ) {
    this.http.interceptors.request.use((config) => {
      this.inFlight++;
      return config;
    });
    const done = () => {
      this.inFlight--;
    };
    this.http.interceptors.response.use(
      (res) => {
        done();
        return res;
      },
      (error: unknown) => {
        done();
        return Promise.reject(error);
      },
    );
  }

  /**
   * Freezes the sandbox's clock and starts this one at the same instant: time moves only when the
   * client sleeps, for both at once, so how long a call takes under load changes nothing.
   */
  static async start(h: SandboxHarness): Promise<SandboxLinkedClock> {
    const res = await h.ctl('/clock', { frozen: true });
    return new SandboxLinkedClock(h, res.json.nowMs as number);
  }

  now(): number {
    return this.base + this.offset;
  }
  async sleep(ms: number): Promise<void> {
    while (this.inFlight > 0) await new Promise((r) => setTimeout(r, 2));
    const step = Math.max(1, Math.round(ms));
    await this.h.ctl('/clock', { advanceMs: step });
    this.offset += step;
    this.slept += step;
  }
}

export interface CallEntry {
  seq: number;
  path: string;
  corpId: string | null;
  errorCode: number | null;
  httpStatus: number;
}

export async function calls(h: SandboxHarness, query = ''): Promise<CallEntry[]> {
  const r = await h.ctl(`/calls${query ? `?${query}` : ''}`, undefined, 'GET');
  return (r.json.calls ?? []) as CallEntry[];
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  ms = 15_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
