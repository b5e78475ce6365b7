/**
 * Reading an uploaded binding sheet: parse (file-level refusals, per-cell problems), validate against
 * the current bindings (pure: the caller supplies a lookup), plan which rows to write. Writing is the
 * caller's, and the plan is the only thing it gets rows from, so `check` and a failing `apply` write
 * nothing by construction.
 */
import path from 'node:path';
import ExcelJS from 'exceljs';
import { normalizeMobile } from '../../lib/mobile.js';
import { err, ok, type Result } from '../../lib/result.js';
import {
  BINDING_COLUMNS,
  FIRST_DATA_ROW,
  HEADER_ROW,
  MAX_DATA_ROWS,
  NOTES_ROW,
  SHEET_NAME,
  bindingColumn,
  type BindingColumn,
  type BindingColumnKey,
} from './columns.js';
import { SAFE_IGNORED_NODES, inspectXlsx, type SheetRefusal } from './xlsx-guard.js';

export type { SheetRefusal, SheetRefusalCode } from './xlsx-guard.js';

/** One problem in one cell: `column` is the Chinese header, `message` is complete on its own. */
export interface CellError {
  readonly column: string;
  readonly message: string;
}

/** A data row's values after normalisation (mobiles are 11 digits); null when empty or unusable. */
export type BindingRowValues = Readonly<Record<BindingColumnKey, string | null>>;

export interface ParsedRow {
  /** The row number as Excel shows it. */
  readonly row: number;
  readonly values: BindingRowValues;
  readonly errors: readonly CellError[];
}

export interface ParsedSheet {
  readonly rows: readonly ParsedRow[];
}

export type SheetParseResult = Result<ParsedSheet, SheetRefusal>;

/** Longer text is no employee code or name; it also keeps huge strings out of the lookups. */
const MAX_TEXT_LENGTH = 64;

const FORMULA_LEAD = /^[=+\-@]/;

const COLUMN_FOR_EMPTY_ROW = bindingColumn('jdyNumber').header;

export function cellError(row: number, column: string, text: string): CellError {
  return { column, message: `第 ${row} 行「${column}」：${text}` };
}

/** Header and name comparison ignore width variants and whitespace ("王 建国" is "王建国"). */
function squash(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, '');
}

type CellRead = { readonly value: string | null } | { readonly error: string };

function textOf(value: ExcelJS.CellValue): string | { error: string } | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return { error: '应填写文本，不能是逻辑值（TRUE/FALSE）' };
  if (value instanceof Date) return { error: '应填写文本，不能是日期' };
  if (typeof value === 'number') return String(value);
  if ('formula' in value || 'sharedFormula' in value) {
    return { error: '单元格是公式；导入不会计算公式，请改为直接填写内容' };
  }
  if ('richText' in value) return value.richText.map((t) => String(t.text ?? '')).join('');
  if ('error' in value) return { error: `单元格是错误值（${String(value.error)}），请改为直接填写内容` };
  if ('hyperlink' in value) return typeof value.text === 'string' ? value.text : null;
  return { error: '无法识别的单元格内容，请改为直接填写文本' };
}

/** One cell as the column expects it; formulas and formula-looking text are refused, never evaluated. */
function readCell(cell: ExcelJS.Cell, column: BindingColumn): CellRead {
  if (cell.isMerged) return { error: '不支持合并单元格，请取消合并后逐行填写' };
  const raw = cell.value;
  if (column.kind === 'mobile' && typeof raw === 'number') {
    const mobile = normalizeMobile(raw);
    return mobile ? { value: mobile } : { error: '不是有效的手机号（应为 11 位中国大陆手机号）' };
  }
  const text = textOf(raw);
  if (text === null) return { value: null };
  if (typeof text !== 'string') return text;
  // Refused before normalising so a multi-megabyte string costs nothing.
  const tooLong = { error: `内容过长（最多 ${MAX_TEXT_LENGTH} 个字符）` };
  if (text.length > 10 * MAX_TEXT_LENGTH) return tooLong;
  const clean = text.normalize('NFKC').replace(/\s+/g, ' ').trim();
  if (clean === '') return { value: null };
  if (clean.length > MAX_TEXT_LENGTH) return tooLong;
  const mobile = column.kind === 'mobile' ? normalizeMobile(clean) : null;
  // "+86 139…" leads with "+" yet is a phone number; anything else led by = + - @ could run as a formula.
  if (mobile === null && FORMULA_LEAD.test(clean)) {
    const lead = clean.charAt(0);
    return { error: `内容以「${lead}」开头，可能被当作公式，已拒绝（不会计算）；请删除开头的「${lead}」` };
  }
  if (column.kind === 'mobile') {
    return mobile ? { value: mobile } : { error: '不是有效的手机号（应为 11 位中国大陆手机号）' };
  }
  return { value: clean };
}

function cellText(cell: ExcelJS.Cell): string {
  if (cell.type === ExcelJS.ValueType.Merge) return '';
  const text = textOf(cell.value);
  return typeof text === 'string' ? squash(text) : '';
}

const NOT_READABLE: SheetRefusal = {
  code: 'not_xlsx',
  message: '文件已损坏或不是有效的 Excel 工作簿，无法读取。请使用下载的模板填写后保存为 .xlsx 再上传',
};

async function loadWorksheet(file: Buffer): Promise<ExcelJS.Worksheet | null> {
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs declares its own Buffer (an ArrayBuffer); a copy is what its zip reader accepts either way.
    const bytes = new Uint8Array(file.byteLength);
    bytes.set(file);
    await workbook.xlsx.load(bytes.buffer, { ignoreNodes: SAFE_IGNORED_NODES });
  } catch {
    // exceljs throws on any malformed part; for the admin it is all one "unreadable file".
    return null;
  }
  return workbook.getWorksheet(SHEET_NAME) ?? workbook.worksheets[0] ?? null;
}

/** Column number of each definition column, or the refusal naming missing / repeated headers. */
function locateColumns(sheet: ExcelJS.Worksheet): Result<Map<BindingColumnKey, number>, SheetRefusal> {
  const found = new Map<string, number[]>();
  sheet.getRow(HEADER_ROW).eachCell((cell, col) => {
    const text = cellText(cell);
    if (text) found.set(text, [...(found.get(text) ?? []), col]);
  });
  const known = new Set(BINDING_COLUMNS.map((c) => c.header));
  const missing = BINDING_COLUMNS.filter((c) => !found.has(c.header)).map((c) => c.header);
  if (missing.length) {
    const unknown = [...found.keys()].filter((h) => !known.has(h)).slice(0, 5);
    const hint = unknown.length
      ? `（第 1 行中无法识别的表头：${unknown.map((h) => `「${h}」`).join('')}）`
      : '';
    return err({
      code: 'missing_headers',
      headers: missing,
      message: `缺少表头：${missing.map((h) => `「${h}」`).join('')}${hint}。第 1 行须为模板中的表头，请勿修改或删除`,
    });
  }
  const repeated = BINDING_COLUMNS.filter((c) => (found.get(c.header)?.length ?? 0) > 1).map((c) => c.header);
  if (repeated.length) {
    return err({
      code: 'duplicate_headers',
      headers: repeated,
      message: `表头重复：${repeated.map((h) => `「${h}」`).join('')}，每列只能出现一次`,
    });
  }
  return ok(new Map(BINDING_COLUMNS.map((c) => [c.key, found.get(c.header)?.[0] ?? 0])));
}

function isNotesRow(row: ExcelJS.Row, columns: Map<BindingColumnKey, number>): boolean {
  return BINDING_COLUMNS.some((c) => cellText(row.getCell(columns.get(c.key) ?? 0)) === squash(c.note));
}

function isEmptyRow(row: ExcelJS.Row | undefined, columns: Map<BindingColumnKey, number>): boolean {
  if (!row) return true;
  return BINDING_COLUMNS.every((c) => {
    const cell = row.findCell(columns.get(c.key) ?? 0);
    return !cell || (!cell.isMerged && cellText(cell) === '');
  });
}

function parseRow(
  row: ExcelJS.Row,
  columns: Map<BindingColumnKey, number>,
  firstSeen: Map<string, number>,
): ParsedRow {
  const n = row.number;
  const errors: CellError[] = [];
  const values: Record<BindingColumnKey, string | null> = {
    jdyNumber: null,
    jdyName: null,
    jdyMobile: null,
    crmMobile: null,
    crmName: null,
  };
  for (const column of BINDING_COLUMNS) {
    const read = readCell(row.getCell(columns.get(column.key) ?? 0), column);
    if ('error' in read) errors.push(cellError(n, column.header, read.error));
    else values[column.key] = read.value;
  }
  const failed = (key: BindingColumnKey) => errors.some((e) => e.column === bindingColumn(key).header);
  const header = (key: BindingColumnKey) => bindingColumn(key).header;

  if (values.jdyNumber === null && !failed('jdyNumber')) {
    errors.push(cellError(n, header('jdyNumber'), '必填，不能为空'));
  }
  if (values.crmMobile === null && values.crmName === null && !failed('crmMobile') && !failed('crmName')) {
    errors.push(cellError(n, header('crmMobile'), '请填写纷享员工手机或纷享员工姓名（至少一项）'));
  }

  // Within-sheet duplicates are reported on the later row; the first occurrence keeps its chance.
  const duplicate = (key: BindingColumnKey, value: string | null, text: (earlier: number) => string) => {
    if (value === null) return;
    const id = `${key}\u0000${key === 'crmName' ? squash(value) : value}`;
    const earlier = firstSeen.get(id);
    if (earlier === undefined) firstSeen.set(id, n);
    else errors.push(cellError(n, header(key), text(earlier)));
  };
  duplicate('jdyNumber', values.jdyNumber, (e) => `与第 ${e} 行重复：同一精斗云职员只能出现一次`);
  duplicate(
    'crmMobile',
    values.crmMobile,
    (e) => `与第 ${e} 行的纷享员工手机相同：一名纷享员工只能绑定一名职员`,
  );
  if (values.crmMobile === null && !failed('crmMobile')) {
    duplicate(
      'crmName',
      values.crmName,
      (e) => `与第 ${e} 行的纷享员工姓名相同：一名纷享员工只能绑定一名职员`,
    );
  }
  return { row: n, values, errors };
}

/**
 * Reads an uploaded binding sheet. Never throws for bad input: a file that cannot be taken as a whole
 * is refused (err, with a Chinese message), otherwise every data row comes back with its problems.
 */
export async function parseBindingSheet(file: Buffer, filename?: string): Promise<SheetParseResult> {
  if (!Buffer.isBuffer(file)) return err(NOT_READABLE);
  const extension = filename ? path.extname(filename).toLowerCase() : '';
  if (extension && extension !== '.xlsx') {
    return err({ code: 'not_xlsx', message: `只支持 .xlsx 格式的 Excel 文件（上传的是 ${extension} 文件）` });
  }
  const inspected = inspectXlsx(file);
  if (!inspected.ok) return inspected;

  const sheet = await loadWorksheet(file);
  if (!sheet) return err(NOT_READABLE);
  const located = locateColumns(sheet);
  if (!located.ok) return located;
  const columns = located.value;

  const notes = sheet.findRow(NOTES_ROW);
  const first = notes && isNotesRow(notes, columns) ? FIRST_DATA_ROW : NOTES_ROW;
  let last = first - 1;
  sheet.eachRow((row, n) => {
    if (n >= first && !isEmptyRow(row, columns)) last = n;
  });
  if (last < first) {
    return err({ code: 'empty', message: `表格中没有数据，请从第 ${first} 行起每行填写一个绑定` });
  }
  if (last - first + 1 > MAX_DATA_ROWS) {
    return err({
      code: 'too_many_rows',
      message: `数据超过 ${MAX_DATA_ROWS} 行（第 ${first} 行到第 ${last} 行），请分成多个文件导入`,
    });
  }

  const rows: ParsedRow[] = [];
  const firstSeen = new Map<string, number>();
  for (let n = first; n <= last; n++) {
    const row = sheet.findRow(n);
    if (row && !isEmptyRow(row, columns)) {
      rows.push(parseRow(row, columns, firstSeen));
    } else {
      rows.push({
        row: n,
        values: { jdyNumber: null, jdyName: null, jdyMobile: null, crmMobile: null, crmName: null },
        errors: [
          {
            column: COLUMN_FOR_EMPTY_ROW,
            message: `第 ${n} 行是空行：数据中间不能有空行，请删除该行或补全内容`,
          },
        ],
      });
    }
  }
  return ok({ rows });
}

export interface JdyEmployeeRef {
  readonly jdyEmpId: string;
  readonly number: string;
  readonly name: string;
  /** As Jingdouyun stores it; compared after normalizeMobile. */
  readonly mobile: string | null;
}

export interface CrmUserRef {
  readonly crmUserId: string;
  readonly name: string;
  readonly mobile: string | null;
}

export interface ExistingBinding {
  readonly jdyEmpId: string;
  readonly jdyNumber: string;
  readonly jdyName: string;
  readonly crmUserId: string;
  readonly crmUserName: string;
}

/**
 * The current state, as the caller knows it. Synchronous on purpose: a sheet has up to 5 000 rows and
 * each costs up to five look-ups, so the caller loads employees, users and bindings once (see
 * createBindingLookup) instead of querying per row.
 */
export interface BindingLookup {
  employeeByNumber(number: string): JdyEmployeeRef | null;
  /** `mobile` is already normalised (11 digits). */
  crmUsersByMobile(mobile: string): readonly CrmUserRef[];
  crmUsersByName(name: string): readonly CrmUserRef[];
  bindingOfEmployee(jdyEmpId: string): ExistingBinding | null;
  bindingOfCrmUser(crmUserId: string): ExistingBinding | null;
}

/** A lookup over lists loaded once; mobiles and names are matched the way validateBindingRows expects. */
export function createBindingLookup(state: {
  employees: readonly JdyEmployeeRef[];
  crmUsers: readonly CrmUserRef[];
  bindings: readonly ExistingBinding[];
}): BindingLookup {
  const group = <T>(items: readonly T[], key: (item: T) => string | null) => {
    const map = new Map<string, T[]>();
    for (const item of items) {
      const k = key(item);
      if (k !== null) map.set(k, [...(map.get(k) ?? []), item]);
    }
    return map;
  };
  const employees = new Map(state.employees.map((e) => [e.number, e]));
  const byMobile = group(state.crmUsers, (u) => normalizeMobile(u.mobile));
  const byName = group(state.crmUsers, (u) => squash(u.name));
  const ofEmployee = new Map(state.bindings.map((b) => [b.jdyEmpId, b]));
  const ofUser = new Map(state.bindings.map((b) => [b.crmUserId, b]));
  return {
    employeeByNumber: (number) => employees.get(number) ?? null,
    crmUsersByMobile: (mobile) => byMobile.get(mobile) ?? [],
    crmUsersByName: (name) => byName.get(squash(name)) ?? [],
    bindingOfEmployee: (id) => ofEmployee.get(id) ?? null,
    bindingOfCrmUser: (id) => ofUser.get(id) ?? null,
  };
}

/** A binding an ok row asks for; `alreadyBound` rows are valid but need no write. */
export interface PlannedBinding {
  readonly row: number;
  readonly jdyEmpId: string;
  readonly crmUserId: string;
  readonly alreadyBound: boolean;
}

/** One row of the import report (plugin-api shape) plus, for ok rows, what to write. */
export interface RowReport {
  readonly row: number;
  readonly status: 'ok' | 'error';
  readonly errors: readonly CellError[];
  readonly binding: PlannedBinding | null;
}

function validateRow(parsed: ParsedRow, lookup: BindingLookup, claimedUsers: Map<string, number>): RowReport {
  const n = parsed.row;
  const v = parsed.values;
  const errors = [...parsed.errors];
  const header = (key: BindingColumnKey) => bindingColumn(key).header;
  const hasError = (key: BindingColumnKey) => errors.some((e) => e.column === header(key));
  const usable = (key: BindingColumnKey): string | null => (hasError(key) ? null : v[key]);
  const fail = (key: BindingColumnKey, text: string) => errors.push(cellError(n, header(key), text));

  // Employee: the code decides; name and mobile, when filled in, must agree (they catch a mistyped code).
  const number = usable('jdyNumber');
  const employee = number === null ? null : lookup.employeeByNumber(number);
  if (number !== null && !employee) fail('jdyNumber', `精斗云中没有编码为「${number}」的职员`);
  if (employee) {
    const name = usable('jdyName');
    if (name !== null && squash(name) !== squash(employee.name)) {
      fail('jdyName', `与精斗云不一致：编码「${employee.number}」的职员姓名为「${employee.name}」`);
    }
    const mobile = usable('jdyMobile');
    if (mobile !== null && normalizeMobile(employee.mobile) !== mobile) {
      const actual = employee.mobile ? `手机为「${employee.mobile}」` : '未登记手机号';
      fail('jdyMobile', `与精斗云不一致：编码「${employee.number}」的职员${actual}`);
    }
  }

  // CRM user: by mobile when given (a name must then be the same person), else by a unique name.
  const crmMobile = usable('crmMobile');
  const crmName = usable('crmName');
  const userColumn: BindingColumnKey = v.crmMobile !== null ? 'crmMobile' : 'crmName';
  let user: CrmUserRef | null = null;
  if (crmMobile !== null) {
    const users = lookup.crmUsersByMobile(crmMobile);
    if (users.length === 0) fail('crmMobile', `纷享销客中没有手机号为 ${crmMobile} 的员工`);
    else if (users.length > 1)
      fail('crmMobile', `手机号 ${crmMobile} 对应 ${users.length} 名纷享员工，无法确定绑定哪一位`);
    else user = users[0] ?? null;
    if (user && crmName !== null && squash(crmName) !== squash(user.name)) {
      fail('crmName', `与手机号 ${crmMobile} 对应的纷享员工「${user.name}」不是同一人`);
      user = null;
    }
  } else if (crmName !== null && !hasError('crmMobile')) {
    const users = lookup.crmUsersByName(crmName);
    if (users.length === 0) fail('crmName', `纷享销客中没有名为「${crmName}」的员工`);
    else if (users.length > 1)
      fail('crmName', `纷享销客中有 ${users.length} 名员工名为「${crmName}」，请改填纷享员工手机`);
    else user = users[0] ?? null;
  }

  // Strictly one-to-one, against the current bindings and the rows above. (Two rows cannot reach one
  // employee: codes are unique and repeated codes were reported while parsing; one user can be
  // reached by mobile on one row and by name on another.)
  let alreadyBound = false;
  if (employee && user) {
    const ofEmployee = lookup.bindingOfEmployee(employee.jdyEmpId);
    const ofUser = lookup.bindingOfCrmUser(user.crmUserId);
    alreadyBound = ofEmployee?.crmUserId === user.crmUserId;
    if (ofEmployee && !alreadyBound) {
      fail('jdyNumber', `该职员已绑定纷享员工「${ofEmployee.crmUserName}」，请先在绑定列表中解除`);
    }
    if (ofUser && ofUser.jdyEmpId !== employee.jdyEmpId) {
      fail(
        userColumn,
        `该纷享员工已绑定精斗云职员「${ofUser.jdyNumber} ${ofUser.jdyName}」，请先在绑定列表中解除`,
      );
    }
  }
  if (user) {
    const earlier = claimedUsers.get(user.crmUserId);
    if (earlier === undefined) claimedUsers.set(user.crmUserId, n);
    else fail(userColumn, `与第 ${earlier} 行是同一纷享员工「${user.name}」，一名纷享员工只能绑定一名职员`);
  }

  const binding =
    errors.length === 0 && employee && user
      ? { row: n, jdyEmpId: employee.jdyEmpId, crmUserId: user.crmUserId, alreadyBound }
      : null;
  return { row: n, status: binding ? 'ok' : 'error', errors, binding };
}

/** Checks every parsed row against the current state; reads only, through `lookup`. */
export function validateBindingRows(rows: readonly ParsedRow[], lookup: BindingLookup): RowReport[] {
  const claimedUsers = new Map<string, number>();
  return rows.map((row) => validateRow(row, lookup, claimedUsers));
}

export type ImportMode = 'check' | 'apply' | 'apply-valid';

export interface ImportPlan {
  readonly mode: ImportMode;
  /** The only bindings the caller may write; already-bound rows are left out (nothing to change). */
  readonly writes: readonly PlannedBinding[];
}

/** `check` writes nothing; `apply` writes all rows only when every row is ok; `apply-valid` the ok rows. */
export function planBindingImport(reports: readonly RowReport[], mode: ImportMode): ImportPlan {
  const valid = reports.flatMap((r) => (r.status === 'ok' && r.binding ? [r.binding] : []));
  const allValid = reports.length > 0 && valid.length === reports.length;
  const chosen = mode === 'apply-valid' || (mode === 'apply' && allValid) ? valid : [];
  return { mode, writes: chosen.filter((b) => !b.alreadyBound) };
}

/** The body of `POST /api/bindings/import` (plugin-api.md), once the caller has written `applied` rows. */
export function toImportResponse(
  reports: readonly RowReport[],
  applied: number,
): { rows: { row: number; status: 'ok' | 'error'; errors: CellError[] }[]; applied: number } {
  return { rows: reports.map((r) => ({ row: r.row, status: r.status, errors: [...r.errors] })), applied };
}
