import { IntegrationError, type ErrorClass } from '../../lib/errors.js';

/**
 * The retry classes of contract §3.7, by errorCode:
 * A rejected before execution (back off; 30002 waits for the next GMT+8 day), B token problem,
 * C outcome unknown, D configuration or tenant problem (stop the tenant), E data problem.
 * Unknown non-zero codes are E (§12 item 4).
 */
export type RetryClass = 'A' | 'B' | 'C' | 'D' | 'E';

export const FX = {
  BUSY: -1,
  SYSTEM_ERROR: -2,
  PARAM: 10006,
  OFFSET_RANGE: 10013,
  CALL_LIMIT: 14001,
  APP_TOKEN: 20005,
  EMPLOYEE_NOT_FOUND: 20012,
  NO_PERMISSION: 20014,
  CORP_TOKEN: 20016,
  SSO_CODE: 20024,
  DAILY_QUOTA: 30002,
  FREQUENCY: 30004,
  REQUIRED: 32002,
  FIELD_UNKNOWN: 32003,
  NOT_FOUND: 32004,
  STATE: 32005,
  DUPLICATE: 32006,
  BAD_QUERY: 32007,
  METADATA_EXISTS: 32009,
  VALUE_INVALID: 50009,
} as const;

const CLASS_D = new Set([10010, 20006, 20014, 20015, 20017, 20021, 20022, 30003]);

export function retryClassOf(code: number, path: string): RetryClass {
  if (code === FX.FREQUENCY || code === FX.CALL_LIMIT || code === FX.DAILY_QUOTA) return 'A';
  if (code === FX.CORP_TOKEN || code === FX.APP_TOKEN) return 'B';
  if (code === FX.BUSY || code === FX.SYSTEM_ERROR) return 'C';
  if (CLASS_D.has(code)) return 'D';
  // 20012 names the acting user on CRM paths (D), the looked-up user on /cgi/user/get (E).
  if (code === FX.EMPLOYEE_NOT_FOUND && path.startsWith('/cgi/crm/')) return 'D';
  return 'E';
}

const ERROR_CLASS: Record<RetryClass, ErrorClass> = {
  A: 'transient',
  B: 'auth',
  C: 'transient',
  D: 'auth',
  E: 'data',
};

export interface FxErrorInit {
  code: number | string;
  message: string;
  errorClass?: ErrorClass;
  path?: string;
  traceId?: string;
  httpStatus?: number;
  outcomeUnknown?: boolean;
  retryAfterMs?: number;
  cause?: unknown;
}

/** An IntegrationError of the CRM; the class follows the code unless given. */
export function fxError(init: FxErrorInit): IntegrationError {
  const errorClass =
    init.errorClass ??
    (typeof init.code === 'number' ? ERROR_CLASS[retryClassOf(init.code, init.path ?? '')] : 'unexpected');
  return new IntegrationError({
    system: 'crm',
    errorClass,
    code: init.code,
    message: init.message,
    traceId: init.traceId,
    httpStatus: init.httpStatus,
    outcomeUnknown: init.outcomeUnknown,
    retryAfterMs: init.retryAfterMs,
    cause: init.cause,
  });
}

export const isFxCode = (e: unknown, code: number): boolean =>
  e instanceof IntegrationError && e.system === 'crm' && e.code === code;

/** A programming error of the caller (bad query, bad argument): never sent to the CRM. */
export const fxUsageError = (message: string): IntegrationError =>
  fxError({ code: 'bad_request', errorClass: 'unexpected', message });

const DAY_MS = 86_400_000;
const GMT8_MS = 8 * 3_600_000;

/** ms until the next 00:00 GMT+8, when the daily quota (30002) resets. */
export function msUntilNextGmt8Day(nowMs: number): number {
  const local = nowMs + GMT8_MS;
  return DAY_MS - (local % DAY_MS);
}
