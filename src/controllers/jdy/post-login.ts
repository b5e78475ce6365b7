import type { RequestHandler } from 'express';
import Joi from 'joi';
import type { AppContext } from '../../app-context.js';
import { badRequest } from '../../http/api-error.js';
import { sessionTenant } from '../../http/session.js';
import { validate } from '../../http/validate.js';
import { erpFailure } from './erp-errors.js';

const body = Joi.object<{ mobile: string; password: string }>({
  mobile: Joi.string().trim().max(32).required().label('手机号'),
  password: Joi.string().min(1).max(128).required().label('密码'),
});

/**
 * POST /api/jdy/login — logs into Jingdouyun with a mobile number and password, lists the account
 * sets with their authorisation state, and holds the login 10 minutes. The password is used for
 * this call only: never stored, never logged.
 */
export const postJdyLogin =
  (ctx: AppContext): RequestHandler =>
  async (req, res) => {
    const { mobile, password } = validate(body, req.body);
    const formatProblem = ctx.erp.connector.checkLogin(mobile);
    if (formatProblem)
      throw badRequest('invalid_mobile', formatProblem, [{ field: 'mobile', message: formatProblem }]);
    const login = await ctx.erp.connector.login(mobile, password).catch((e: unknown) => {
      throw erpFailure(e);
    });
    const held = await ctx.repos.erpLogins.hold(sessionTenant(req), login, new Date(ctx.clock.now()));
    res.json({
      loginId: held.loginId,
      expiresAt: held.expiresAt.toISOString(),
      accountSets: login.accountSets.map((s) => ({
        serviceId: s.serviceId,
        accountId: s.accountId,
        accountName: s.accountName,
        groupName: s.groupName,
        enabled: s.enabled,
        authorised: s.authorised,
      })),
    });
  };
