/**
 * Errors from the outside systems, split by what the caller should do about them:
 * - transient: network, timeout, 429, 5xx, token expiry — retry later (the sync retry ladder);
 * - auth: credentials or authorisation lost — pause the tenant and tell the admin;
 * - data: the record or configuration is wrong — fail the record with the reason, no retry;
 * - unexpected: a bug or an answer we do not understand — fail loudly.
 */
export type ErrorClass = 'transient' | 'auth' | 'data' | 'unexpected';

export type OutsideSystem = 'jdy' | 'crm';

export interface IntegrationErrorInit {
  system: OutsideSystem;
  errorClass: ErrorClass;
  /** The outside system's own code (JDY errcode, CRM errorCode, HTTP status) or a client code. */
  code: string | number;
  message: string;
  /** True when a write may have been applied although we saw no answer (timeout, 5xx, lost response). */
  outcomeUnknown?: boolean;
  /** Server-requested wait before retrying (Retry-After), in ms. */
  retryAfterMs?: number;
  httpStatus?: number;
  traceId?: string;
  cause?: unknown;
}

export class IntegrationError extends Error {
  readonly system: OutsideSystem;
  readonly errorClass: ErrorClass;
  readonly code: string | number;
  readonly outcomeUnknown: boolean;
  readonly retryAfterMs: number | undefined;
  readonly httpStatus: number | undefined;
  readonly traceId: string | undefined;

  constructor(init: IntegrationErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'IntegrationError';
    this.system = init.system;
    this.errorClass = init.errorClass;
    this.code = init.code;
    this.outcomeUnknown = init.outcomeUnknown ?? false;
    this.retryAfterMs = init.retryAfterMs;
    this.httpStatus = init.httpStatus;
    this.traceId = init.traceId;
  }
}

export const isIntegrationError = (e: unknown): e is IntegrationError => e instanceof IntegrationError;

/** The class of any thrown value: our own errors carry it, anything else is a bug. */
export const classOf = (e: unknown): ErrorClass => (isIntegrationError(e) ? e.errorClass : 'unexpected');

export const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));
