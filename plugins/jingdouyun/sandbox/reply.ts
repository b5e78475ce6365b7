import type { ApiError } from './validate.js';

/** What a handler answers; the server sends it (or drops it, §8.4 commit_then_drop). */
export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** Set when the call is tied to an account set (call log, §8.6). */
  accountId?: string;
}

export const g3Ok = (data: unknown): Reply => ({
  status: 200,
  body: { errcode: 0, description: 'success', data },
});

export const g3Fail = (errcode: number, description: string): Reply => ({
  status: 200,
  body: { errcode, description, data: null },
});

export const g3Error = (e: ApiError): Reply => g3Fail(e.errcode, e.description);

/** Gateway failure of §3.1: HTTP status = errcode. */
export const gatewayFail = (
  status: number,
  description: string,
  headers?: Record<string, string>,
): Reply => ({
  status,
  body: { errcode: status, description, data: null },
  ...(headers ? { headers } : {}),
});
