import type { RequestHandler } from 'express';
import type { AppContext } from '../../app-context.js';
import { codeSignature, safeEqual } from '../../fxiaoke/crypto.js';
import { FX } from '../../fxiaoke/client/errors.js';
import type { FxUser } from '../../fxiaoke/client/directory.js';
import { sendPage } from '../../http/html.js';
import { newSessionId, sessionCookieOf, setSessionCookie } from '../../http/session.js';
import { validate } from '../../http/validate.js';
import { IntegrationError, messageOf } from '../../lib/errors.js';
import { entryQuerySchema } from './get-entry.validation.js';

/** §2.4 step 2: the plugin may reject redirects older than this. */
const MAX_SKEW_MS = 300_000;
const RESTART = '请回到纷享销客，从应用中心重新打开本插件。';

/**
 * GET /app/entry — single sign-on from the CRM (contract §2.4): verify codeSig (403), reject stale
 * timestamps, exchange the code once, find the installed tenant (else a 未安装 page), load the user
 * with the tenant's corp token, deny stopped users, then start a new session (a new id on every
 * sign-in; any previous session of this browser is ended) and redirect to /app/.
 */
export const getEntry =
  (ctx: AppContext): RequestHandler =>
  async (req, res) => {
    const q = validate(entryQuerySchema, req.query);
    const expected = codeSignature(ctx.config.fx.token, q.code, q.timestamp, q.nonce);
    if (!safeEqual(q.codeSig, expected))
      return sendPage(res, 403, '登录失败', `登录签名校验未通过。${RESTART}`);
    if (Math.abs(ctx.clock.now() - Number(q.timestamp)) > MAX_SKEW_MS) {
      return sendPage(res, 403, '登录链接已过期', RESTART);
    }

    let identity: { openUserId: string; corpId: string };
    try {
      identity = await ctx.fx.transport.openUserId(q.code);
    } catch (error) {
      if (error instanceof IntegrationError && error.code === FX.SSO_CODE) {
        return sendPage(res, 403, '登录链接已失效', `该登录链接已使用或已过期。${RESTART}`);
      }
      ctx.logger.warn({ err: messageOf(error) }, 'sso: code exchange failed');
      return sendPage(res, 503, '暂时无法登录', '无法连接纷享销客，请稍后重试。');
    }

    const tenant = await ctx.repos.tenants.findByCorpId(identity.corpId);
    if (!tenant || tenant.status !== 'active') {
      return sendPage(res, 403, '未安装', '贵企业尚未安装本插件，请管理员先在纷享销客应用中心安装。');
    }

    let user: FxUser;
    try {
      user = await ctx.fx.client(tenant, identity.openUserId).directory.user(identity.openUserId);
    } catch (error) {
      ctx.logger.warn({ tenantId: tenant._id, err: messageOf(error) }, 'sso: user lookup failed');
      if (error instanceof IntegrationError && error.errorClass === 'data') {
        return sendPage(res, 403, '登录失败', '在纷享销客中找不到您的员工信息。');
      }
      return sendPage(res, 503, '暂时无法登录', '读取纷享销客员工信息失败，请稍后重试。');
    }
    if (user.isStop) return sendPage(res, 403, '账号已停用', '您的纷享销客账号已停用，不能使用本插件。');

    const previous = sessionCookieOf(req);
    if (previous) await ctx.repos.sessions.remove(previous);
    const sessionId = newSessionId();
    const now = ctx.clock.now();
    await ctx.repos.sessions.create(sessionId, {
      tenantId: tenant._id,
      corpId: tenant.corpId,
      openUserId: user.openUserId,
      name: user.name,
      isAdmin: user.isCrmAdmin === true,
      createdAt: new Date(now),
      expiresAt: new Date(now + ctx.config.sessionTtlMinutes * 60_000),
    });
    setSessionCookie(ctx, res, sessionId);
    res.redirect(302, '/app/');
  };
