import { ApiError } from '../../http/api-error.js';
import { isIntegrationError } from '../../lib/errors.js';

/**
 * An outside-system failure during an admin action, as the page should show it: refused by the
 * ERP (wrong password, account set not authorised) → 422 with the ERP's reason; unreachable or
 * busy → 503; anything else is a bug and stays an exception (500).
 */
export function erpFailure(error: unknown): unknown {
  if (!isIntegrationError(error)) return error;
  if (error.errorClass === 'transient') {
    return new ApiError(503, 'jdy_unreachable', `暂时无法连接金蝶精斗云，请稍后重试（${error.message}）`);
  }
  if (error.errorClass === 'auth' || error.errorClass === 'data') {
    return new ApiError(422, 'jdy_refused', error.message, [{ message: error.message, code: String(error.code) }]);
  }
  return error;
}
