import type { RequestHandler, Response } from 'express';
import type { AppContext } from '../../app-context.js';
import { TenantRepository } from '../../dal/tenant/tenant.repository.js';
import { decryptPush, pushSignature, safeEqual } from '../../fxiaoke/crypto.js';
import { queueFxInstall } from '../../jobs/handlers/fx-install.js';
import { messageOf } from '../../lib/errors.js';
import { pushBodySchema, pushMessageSchema, type PushMessage } from './post-callback.validation.js';

/** §2.2 step 1: the plugin rejects pushes whose timestamp is this far from now. */
const MAX_SKEW_MS = 500_000;

const reply = (res: Response, status: number, text: 'success' | 'failure') =>
  res.status(status).type('text/plain').send(text);

/**
 * POST /fxiaoke/callback — the app-center install push (contract §2.2). Verifies (timestamp,
 * signature in constant time), decrypts, checks the appId trailer, and answers the literal
 * `success` well within 3 s:
 * - PermanentCode: the code is stored (sealed) in an install job before replying; the job makes
 *   the corp token call that tells the corpId and activates the tenant. A crash after the reply
 *   leaves the job in the database, and the next process runs it.
 * - CancelPermanentCode: marks the tenant uninstalled, cancels its jobs, drops its tokens and
 *   signs out its sessions; its data stay. A few quick writes, done before replying.
 * - Message: ignored.
 * Anything that does not verify answers `failure` and changes nothing; the log names the reason only.
 */
export const postCallback =
  (ctx: AppContext): RequestHandler =>
  async (req, res) => {
    const refuse = (status: number, reason: string) => {
      ctx.logger.warn({ reason }, 'install push refused');
      return reply(res, status, 'failure');
    };
    const { value: push, error } = pushBodySchema.validate(req.body);
    if (error) return refuse(400, 'malformed body');
    if (Math.abs(ctx.clock.now() - Number(push.timeStamp)) > MAX_SKEW_MS)
      return refuse(403, 'stale timestamp');
    const expected = pushSignature(ctx.config.fx.token, push.timeStamp, push.nonce, push.content);
    if (!safeEqual(push.sig, expected)) return refuse(403, 'bad signature');
    let message: PushMessage;
    try {
      const plain = decryptPush(ctx.config.fx.encodingAesKey, push.content);
      if (plain.appId !== ctx.config.fx.appId) return refuse(403, 'appId trailer mismatch');
      const parsed = pushMessageSchema.validate(JSON.parse(plain.message));
      if (parsed.error) return refuse(400, 'malformed message');
      message = parsed.value;
    } catch (e) {
      return refuse(403, `cannot decrypt: ${messageOf(e)}`);
    }

    if (message.type === 'PermanentCode') {
      if (!message.content) return refuse(400, 'empty permanent code');
      await queueFxInstall(ctx, message.content);
      ctx.logger.info('install push accepted');
    } else if (message.type === 'CancelPermanentCode') {
      const tenant = message.content ? await ctx.repos.tenants.findByPermanentCode(message.content) : null;
      if (tenant) {
        const tenantId = TenantRepository.idOf(tenant);
        await ctx.repos.tenants.markUninstalled(tenantId, new Date(ctx.clock.now()));
        await ctx.scheduler.cancel({ data: { tenantId } });
        await ctx.fx.transport.dropTenantTokens(tenantId);
        await ctx.repos.sessions.removeTenant(tenantId);
        ctx.fx.describes.invalidate(tenantId);
        ctx.logger.info({ tenantId }, 'tenant uninstalled');
      } else {
        ctx.logger.warn('uninstall push for an unknown permanent code');
      }
    }
    return reply(res, 200, 'success');
  };
