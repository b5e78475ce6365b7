/**
 * An expected refusal of an API request: the status, a machine code and a message a person
 * understands (in Chinese, shown as is on the pages). Anything else thrown is a bug → 500.
 */
export interface ErrorDetail {
  field?: string;
  message: string;
  [key: string]: unknown;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const badRequest = (code: string, message: string, details: ErrorDetail[] = []) =>
  new ApiError(400, code, message, details);
export const unauthorized = (message = '请先登录') => new ApiError(401, 'unauthenticated', message);
export const forbidden = (code: string, message: string) => new ApiError(403, code, message);
export const notFound = (message = '未找到该记录') => new ApiError(404, 'not_found', message);
export const conflict = (code: string, message: string, details: ErrorDetail[] = []) =>
  new ApiError(409, code, message, details);
