import type { RequestHandler } from 'express';
import ExcelJS from 'exceljs';
import Joi from 'joi';
import type { AppContext } from '../../app-context.js';
import type { RecordQuery } from '../../dal/sync-record/sync-record.repository.js';
import { sessionTenant } from '../../http/session.js';
import { validate } from '../../http/validate.js';
import { OBJECT_LABELS } from '../../sync/keys.js';
import { recordFilters, toRecordQuery } from './record-query.js';

const query = Joi.object<RecordQuery & { q?: string }>(recordFilters);

const STATUS = {
  synced: '已同步',
  failed: '失败',
  skipped: '已跳过',
  waiting: '等待中',
  pending: '待重试',
} as const;
const DIRECTION = { jdy_to_crm: '精斗云 → 纷享', crm_to_jdy: '纷享 → 精斗云' } as const;

/** GET /api/records/export — the filtered log as xlsx, streamed row by row (no whole log in memory). */
export const exportRecords =
  (ctx: AppContext): RequestHandler =>
  async (req, res) => {
    const filter = toRecordQuery(validate(query, req.query));
    res.setHeader('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader(
      'content-disposition',
      `attachment; filename*=UTF-8''${encodeURIComponent('同步日志.xlsx')}`,
    );
    const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: res, useSharedStrings: false });
    const sheet = book.addWorksheet('同步日志');
    sheet.columns = [
      { header: '对象', key: 'object', width: 10 },
      { header: '方向', key: 'direction', width: 14 },
      { header: '源记录', key: 'sourceKey', width: 24 },
      { header: '源ID', key: 'sourceId', width: 24 },
      { header: '目标ID', key: 'targetId', width: 26 },
      { header: '状态', key: 'status', width: 10 },
      { header: '原因', key: 'reason', width: 50 },
      { header: '尝试次数', key: 'attempts', width: 10 },
      { header: '更新时间', key: 'updatedAt', width: 22 },
    ];
    for await (const r of ctx.repos.syncRecords.scan(sessionTenant(req), filter)) {
      sheet
        .addRow({
          object: OBJECT_LABELS[r.object],
          direction: DIRECTION[r.direction],
          sourceKey: r.sourceKey,
          sourceId: r.sourceId,
          targetId: r.targetId ?? '',
          status: STATUS[r.status],
          reason: r.reason ?? '',
          attempts: r.attemptCount,
          updatedAt: r.updatedAt.toISOString(),
        })
        .commit();
    }
    sheet.commit();
    await book.commit();
  };
