import { ApiError } from '../../http/api-error.js';
import { isIntegrationError } from '../../lib/errors.js';

/**
 * An outside-system failure during an admin action, as the page should show it: refused by the
 * system (wrong password, account set not authorised, no permission) → 422 with its reason;
 * unreachable or busy → 503; anything else is a bug and stays an exception (500).
 */
function outsideFailure(system: { name: string; code: string }, error: unknown): unknown {
  if (!isIntegrationError(error)) return error;
  if (error.errorClass === 'transient') {
    return new ApiError(
      503,
      `${system.code}_unreachable`,
      `暂时无法连接${system.name}，请稍后重试（${error.message}）`,
    );
  }
  if (error.errorClass === 'auth' || error.errorClass === 'data') {
    return new ApiError(422, `${system.code}_refused`, error.message, [
      { message: error.message, code: String(error.code) },
    ]);
  }
  return error;
}

const JDY = { name: '金蝶精斗云', code: 'jdy' };
const CRM = { name: '纷享销客', code: 'crm' };

export const erpFailure = (error: unknown): unknown => outsideFailure(JDY, error);
export const crmFailure = (error: unknown): unknown => outsideFailure(CRM, error);
