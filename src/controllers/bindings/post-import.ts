import type { Request, RequestHandler, Response } from 'express';
import Joi from 'joi';
import multer from 'multer';
import type { AppContext } from '../../app-context.js';
import { bindingColumn } from '../../bindings/sheet/columns.js';
import {
  cellError,
  createBindingLookup,
  parseBindingSheet,
  planBindingImport,
  toImportResponse,
  validateBindingRows,
  type CellError,
  type ImportMode,
  type ParsedRow,
  type SheetRefusal,
} from '../../bindings/sheet/import.js';
import { LIMITS } from '../../bindings/sheet/xlsx-guard.js';
import { ApiError, badRequest } from '../../http/api-error.js';
import { sessionTenant } from '../../http/session.js';
import { validate } from '../../http/validate.js';
import { crmDirectory } from '../crm/crm-directory.js';
import { fetchJdyEmployees, rememberJdyEmployees } from '../jdy/jdy-employees.js';
import { heldBy } from './binding-view.js';

const query = Joi.object<{ mode: ImportMode }>({
  mode: Joi.string().valid('check', 'apply', 'apply-valid').required().label('导入方式（mode）'),
});

const MB = 1024 * 1024;
const tooLarge = (message: string) => new ApiError(413, 'file_too_large', message);

/** One file in memory: the sheet limit is small, and the guard reads the zip from a Buffer. */
const upload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: LIMITS.fileBytes, files: 1, fields: 10, parts: 20 },
  // Browsers send UTF-8 file names (员工绑定.xlsx) without saying so.
  defParamCharset: 'utf8',
}).single('file');

function receiveFile(req: Request, res: Response): Promise<Express.Multer.File> {
  return new Promise((resolve, reject) => {
    void upload(req, res, (error: unknown) => {
      if (error instanceof multer.MulterError && error.code === 'LIMIT_FILE_SIZE') {
        reject(tooLarge(`文件超过 ${LIMITS.fileBytes / MB} MB，请删除无关内容或拆分后再上传`));
      } else if (error) {
        reject(badRequest('invalid_upload', '上传失败：请以表单字段 file 上传一个 .xlsx 文件'));
      } else if (!req.file) {
        const message = '请选择要导入的 Excel 文件（表单字段 file）';
        reject(badRequest('file_required', message, [{ field: 'file', message }]));
      } else {
        resolve(req.file);
      }
    });
  });
}

/** A whole-file refusal of the sheet module as an API error (413 for size, 400 otherwise). */
function refusal(r: SheetRefusal): ApiError {
  if (r.code === 'too_large') return tooLarge(r.message);
  return badRequest(
    r.code,
    r.message,
    (r.headers ?? []).map((h) => ({ field: 'file', message: `表头「${h}」`, header: h })),
  );
}

/** The cell that names the CRM user of a row: its mobile when given, else its name. */
function userCell(row: ParsedRow | undefined): string {
  return bindingColumn(row?.values.crmMobile ? 'crmMobile' : 'crmName').header;
}

/**
 * POST /api/bindings/import?mode=check|apply|apply-valid — an uploaded binding sheet (field
 * `file`, .xlsx, at most 5 MB) checked row by row against Jingdouyun's employees, the CRM
 * directory and the current bindings. `check` writes nothing; `apply` writes only when every row
 * is valid; `apply-valid` writes the valid rows. Answers `{ rows, applied }`.
 */
export const postBindingsImport =
  (ctx: AppContext): RequestHandler =>
  async (req, res) => {
    const file = await receiveFile(req, res);
    const { mode } = validate(query, req.query);
    const parsed = await parseBindingSheet(file.buffer, file.originalname);
    if (!parsed.ok) throw refusal(parsed.error);

    const tenantId = sessionTenant(req);
    const employees = await fetchJdyEmployees(ctx, tenantId);
    const users = await crmDirectory(ctx, req);
    const current = await ctx.repos.bindings.list(tenantId);
    const lookup = createBindingLookup({
      employees: employees.map((e) => ({
        jdyEmpId: e.id,
        number: e.number,
        name: e.name,
        mobile: e.mobile || null,
      })),
      crmUsers: users,
      bindings: current.flatMap((b) => (b.crmUserId ? [{ ...b, crmUserId: b.crmUserId }] : [])),
    });
    const reports = validateBindingRows(parsed.value.rows, lookup);
    const plan = planBindingImport(reports, mode);

    if (plan.writes.length) await rememberJdyEmployees(ctx, tenantId, employees);
    const names = new Map(users.map((u) => [u.crmUserId, u.name]));
    const parsedRows = new Map(parsed.value.rows.map((r) => [r.row, r]));
    const now = new Date(ctx.clock.now());
    // A CRM user claimed by someone else between the check and the write is reported on its row.
    const lost = new Map<number, CellError>();
    for (const w of plan.writes) {
      const name = names.get(w.crmUserId) ?? '';
      const bound = await ctx.repos.bindings.bind(tenantId, w.jdyEmpId, w.crmUserId, name, 'import', now);
      if (!bound.ok)
        lost.set(
          w.row,
          cellError(w.row, userCell(parsedRows.get(w.row)), `${heldBy(name, bound.conflict)}，未导入`),
        );
    }
    const final = reports.map((r) => {
      const error = lost.get(r.row);
      return error ? { ...r, status: 'error' as const, errors: [error] } : r;
    });
    res.json(toImportResponse(final, plan.writes.length - lost.size));
  };
