import type { RequestHandler } from 'express';
import Joi from 'joi';
import type { AppContext } from '../../app-context.js';
import type { RecordQuery } from '../../dal/sync-record/sync-record.repository.js';
import { sessionTenant } from '../../http/session.js';
import { validate } from '../../http/validate.js';
import { recordFilters, toRecordQuery } from './record-query.js';
import { recordRow } from './record-view.js';

const query = Joi.object<RecordQuery & { q?: string; page: number; pageSize: number }>({
  ...recordFilters,
  page: Joi.number().integer().min(1).max(100000).default(1).label('page'),
  pageSize: Joi.number().integer().min(1).max(200).default(20).label('pageSize'),
});

/** GET /api/records — the sync log, filtered and paged, newest first. */
export const listRecords =
  (ctx: AppContext): RequestHandler =>
  async (req, res) => {
    const v = validate(query, req.query);
    const { total, items } = await ctx.repos.syncRecords.search(
      sessionTenant(req),
      toRecordQuery(v),
      v.page,
      v.pageSize,
    );
    res.json({ total, items: items.map(recordRow) });
  };
