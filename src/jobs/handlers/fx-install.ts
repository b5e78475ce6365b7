import type { AppContext } from '../../app-context.js';
import { TenantRepository } from '../../dal/tenant/tenant.repository.js';
import { classOf, messageOf } from '../../lib/errors.js';
import { backoffMs } from '../../lib/retry.js';
import type { JobHandler } from '../job-outcome.js';
import { JOB, type FxInstallJob } from '../job-names.js';

const MAX_ATTEMPTS = 8;

/** Queues the install work; the job document is what survives a crash between reply and work. */
export async function queueFxInstall(ctx: AppContext, permanentCode: string): Promise<void> {
  await ctx.scheduler.now<FxInstallJob>(JOB.fxInstall, {
    sealedCode: ctx.box.seal(permanentCode),
    attempt: 1,
  });
}

/**
 * §2.2 PermanentCode, the slow part: the corp token call tells the corpId, which keys the tenant.
 * A code already active is a no-op. Transient failures retry with backoff; a refused code
 * (deauthorised since, wrong app) ends the job with the reason logged.
 */
export const fxInstallHandler =
  (ctx: AppContext): JobHandler<FxInstallJob> =>
  async (data) => {
    const code = ctx.box.open(data.sealedCode);
    const known = await ctx.repos.tenants.findByPermanentCode(code);
    if (known?.status === 'active') return { status: 'skipped', reason: 'tenant already active' };
    try {
      const answer = await ctx.fx.transport.fetchCorpToken(code);
      const tenant = await ctx.repos.tenants.activate(answer.corpId, '', code, new Date(ctx.clock.now()));
      const tenantId = TenantRepository.idOf(tenant);
      // A reinstall clears a previous "reconnect needed" mark with the old token.
      await ctx.fx.transport.dropTenantTokens(tenantId);
      await ctx.fx.transport.rememberCorpToken(tenantId, answer);
      ctx.fx.describes.invalidate(tenantId);
      ctx.logger.info({ tenantId, corpId: answer.corpId }, 'tenant installed');
      return { status: 'done', detail: tenantId };
    } catch (error) {
      if (classOf(error) === 'transient' && data.attempt < MAX_ATTEMPTS) {
        const delay = backoffMs(data.attempt, 5_000, 300_000);
        await ctx.scheduler.agenda.schedule<FxInstallJob>(new Date(Date.now() + delay), JOB.fxInstall, {
          sealedCode: data.sealedCode,
          attempt: data.attempt + 1,
        });
        ctx.logger.warn(
          { attempt: data.attempt, delay, err: messageOf(error) },
          'install: token call failed, retrying',
        );
        return { status: 'continued', detail: `retry in ${delay} ms` };
      }
      ctx.logger.error({ attempt: data.attempt, err: messageOf(error) }, 'install: giving up');
      return { status: 'skipped', reason: messageOf(error) };
    }
  };
