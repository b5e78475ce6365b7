/** Shared helpers of the CRM client and entry-point tests. */
import axios, { type AxiosInstance } from 'axios';
import type { SandboxHarness } from '../../src/fxiaoke/sandbox/testing.js';
import type { Clock } from '../../src/lib/clock.js';

/**
 * A clock shared with the sandbox: real time plus an offset, and sleeping advances both clocks
 * instead of waiting. Rate windows, backoffs and token ages then run at full speed and agree.
 * Time only jumps once no request of `http` is in flight: a request sent before the jump must
 * not arrive after it, as it never would in real time.
 */
export class SandboxLinkedClock implements Clock {
  private offset = 0;
  private inFlight = 0;
  slept = 0;
  readonly http: AxiosInstance = axios.create();
  constructor(private readonly h: SandboxHarness) {
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
  now(): number {
    return Date.now() + this.offset;
  }
  async sleep(ms: number): Promise<void> {
    while (this.inFlight > 0) await new Promise((r) => setTimeout(r, 2));
    const step = Math.max(1, Math.round(ms));
    // The sandbox moves first: a call let through by the client's new time must never reach a
    // sandbox still in the old window (under load that gap let bursts through as 30004).
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
