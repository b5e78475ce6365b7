/** A business failure answered with HTTP 200 and the §3.2 failure envelope. */
export class FxError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** A control-API failure (§11): HTTP 400 or 404 with `{"error"}`. */
export class ControlError extends Error {
  constructor(
    readonly status: 400 | 404,
    message: string,
  ) {
    super(message);
  }
}

export const fail = (code: number, message: string, extra?: Record<string, unknown>): never => {
  throw new FxError(code, message, extra);
};

export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export const MSG = {
  param: (name: string) => `the parameter ${name} is missing or illegal`,
  creds: 'corpAccessToken为必填项，不能为空',
  token: 'the cropId,cropAccessToken or authorization is error',
  freq: 'call frequency too high (调用频率过高)',
  quota: 'daily quota used up',
  noUser: 'currentOpenUserId is missing',
  userNotFound: 'employee not found',
} as const;
