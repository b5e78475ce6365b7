import type { RequestHandler } from 'express';
import type { AppContext } from '../../app-context.js';
import { asTenantId } from '../../db/base-repository.js';
import { TenantRepository } from '../../dal/tenant/tenant.repository.js';
import { hookSignature, safeEqual } from '../../fxiaoke/crypto.js';
import { ApiError, badRequest, forbidden } from '../../http/api-error.js';
import type { RawBodyRequest } from '../../http/app.js';
import { validate } from '../../http/validate.js';
import { hookBodySchema, hookParamsSchema } from './post-hook.validation.js';

/** §9: receivers SHOULD reject timestamps this far from now. */
const MAX_SKEW_MS = 300_000;

const badSignature = () => new ApiError(401, 'bad_signature', '签名校验未通过');

/**
 * POST /hooks/fxiaoke/:tenantId — CRM change events (contract §9).
 *
 * Statuses: 401 when the request cannot be authenticated (unknown tenant id, missing or malformed
 * headers, HMAC mismatch: §9 says 401 for a failed HMAC, and an unknown tenant is a signature we
 * cannot check); 403 when it is authentic but refused (stale timestamp, tenant uninstalled, body
 * names another enterprise); 400 for a body that is not exactly the contract's keys. Nothing is
 * stored or queued in any of these cases. A new event is stored and the tenant's job queued; a
 * repeated eventId is accepted and ignored. Both answer 202 at once.
 */
export const postHook =
  (ctx: AppContext): RequestHandler =>
  async (req, res) => {
    const { value: params, error } = hookParamsSchema.validate(req.params);
    if (error) throw badSignature();
    const tenant = await ctx.repos.tenants.findById(asTenantId(params.tenantId));
    if (!tenant) throw badSignature();

    const raw = (req as RawBodyRequest).rawBody;
    const timestamp = req.get('x-fx-timestamp') ?? '';
    const signature = req.get('x-fx-signature') ?? '';
    if (!raw || !/^\d{1,16}$/.test(timestamp) || !/^[0-9a-f]{64}$/.test(signature)) throw badSignature();
    const expected = hookSignature(ctx.repos.tenants.hookSecretOf(tenant), timestamp, raw);
    if (!safeEqual(signature, expected)) throw badSignature();

    const now = ctx.clock.now();
    if (Math.abs(now - Number(timestamp)) > MAX_SKEW_MS) throw forbidden('stale_event', '事件时间戳已过期');
    if (tenant.status !== 'active') throw forbidden('tenant_uninstalled', '该企业已卸载插件');
    const body = validate(hookBodySchema, req.body);
    if (body.timestamp !== Number(timestamp)) {
      throw badRequest('timestamp_mismatch', '事件内容的 timestamp 与请求头 x-fx-timestamp 不一致');
    }
    if (body.tenant !== tenant.corpId) throw forbidden('foreign_tenant', '事件不属于该企业');

    const tenantId = TenantRepository.idOf(tenant);
    const fresh = await ctx.repos.crmEvents.receive(tenantId, {
      eventId: body.eventId,
      event: body.event,
      objectApiName: body.objectApiName,
      objectId: body.objectId,
      operatorId: body.operatorId,
      timestamp: body.timestamp,
      receivedAt: new Date(now),
    });
    if (fresh) ctx.crmEventKicker.kick(tenantId);
    res.status(202).json({ accepted: true, duplicate: !fresh });
  };
