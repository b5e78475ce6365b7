import { IntegrationError, type ErrorClass } from '../../../src/lib/errors.js';

/** Client-only codes (contract §3.3): never sent by a server. */
export const NOT_AUTHORISED = 9901000001;
export const ACCOUNT_SET_DISABLED = 9901000002;
export const NOT_AUTHORISED_TEXT = '该账套尚未授权本应用，请先在金蝶云星辰中授权后重试';
export const ACCOUNT_SET_DISABLED_TEXT = '该账套已停用';

export const SERVICE_EXCEPTION = 1000002001;
export const CREDENTIALS_WRONG = 1020002008;
/** Duplicate number/bill_no, or the duplicate-name warning of customers and products (§3.3). */
export const DUPLICATE = 1030002002;
export const NOT_FOUND = 1030002003;
export const BAD_FORMAT = 1030002006;

/** Code used when the deletion log is not offered (real service: 404 or 519), see §4.5. */
export const DELETED_LOG_UNAVAILABLE = 'deleted_log_unavailable';

/** What a JDY answer means for the caller (contract §3.3 "Retry" column). */
export function classifyCode(code: number, httpStatus: number): ErrorClass {
  if (httpStatus === 429 || httpStatus >= 500 || code === 429 || (code >= 500 && code < 600)) {
    return httpStatus === 519 || code === 519 ? 'unexpected' : 'transient';
  }
  if (code === SERVICE_EXCEPTION) return 'transient';
  if (
    code === 401 ||
    code === CREDENTIALS_WRONG ||
    code === NOT_AUTHORISED ||
    code === ACCOUNT_SET_DISABLED
  ) {
    return 'auth';
  }
  // 400 (signature/timestamp/replay/JSON), 404 (API or route) and 519 (signature) are configuration bugs.
  if (code === 400 || code === 404 || code === 519 || httpStatus === 400 || httpStatus === 404) {
    return 'unexpected';
  }
  return 'data';
}

export function jdyError(
  code: number | string,
  description: string,
  opts: {
    httpStatus?: number;
    outcomeUnknown?: boolean;
    retryAfterMs?: number;
    errorClass?: ErrorClass;
  } = {},
): IntegrationError {
  const numeric = typeof code === 'number' ? code : Number(code);
  const errorClass =
    opts.errorClass ??
    (Number.isFinite(numeric) ? classifyCode(numeric, opts.httpStatus ?? 200) : 'unexpected');
  return new IntegrationError({
    system: 'jdy',
    errorClass,
    code,
    message: `金蝶精斗云 ${code}: ${description}`,
    outcomeUnknown: opts.outcomeUnknown,
    retryAfterMs: opts.retryAfterMs,
    httpStatus: opts.httpStatus,
  });
}

export const isJdyCode = (e: unknown, code: number | string): boolean =>
  e instanceof IntegrationError && e.system === 'jdy' && String(e.code) === String(code);

export const isDeletedLogUnavailable = (e: unknown): boolean => isJdyCode(e, DELETED_LOG_UNAVAILABLE);
