/**
 * Checks an uploaded file before exceljs sees it. exceljs inflates every zip entry in memory and
 * expands cell ranges (merges, defined names, column specs) cell by cell, so a 5 MB upload could
 * otherwise cost gigabytes or hang: the zip central directory, every entry's real inflated size and
 * the few range-bearing XML parts are bounded here first. Pure Buffer/zlib work, no XML parser.
 */
import { inflateRawSync } from 'node:zlib';
import { err, ok, type Result } from '../../lib/result.js';

export type SheetRefusalCode =
  | 'not_xlsx'
  | 'too_large'
  | 'too_many_rows'
  | 'missing_headers'
  | 'duplicate_headers'
  | 'zip_bomb'
  | 'too_big_uncompressed'
  | 'too_complex'
  | 'empty';

/** A whole-file refusal: nothing in the file is looked at further. */
export interface SheetRefusal {
  readonly code: SheetRefusalCode;
  readonly message: string;
  /** The headers concerned, for missing_headers and duplicate_headers. */
  readonly headers?: readonly string[];
}

export const LIMITS = {
  fileBytes: 5 * 1024 * 1024,
  /** A filled 5 000-row sheet inflates to about 2 MB; these leave a wide margin. */
  entryBytes: 20 * 1024 * 1024,
  totalBytes: 50 * 1024 * 1024,
  /** XML compresses 5–30×; far beyond that on a sizeable entry is a bomb, not a spreadsheet. */
  ratio: 100,
  ratioFloorBytes: 1024 * 1024,
  entries: 500,
  rowElements: 50_000,
  cellElements: 300_000,
  sharedStrings: 100_000,
  /** Cells exceljs would materialise for merges and defined names together. */
  rangeCells: 200_000,
} as const;

const MB = 1024 * 1024;
const EXCEL_MAX_ROW = 1_048_576;
const EXCEL_MAX_COL = 16_384;

const refuse = (code: SheetRefusalCode, message: string): Result<never, SheetRefusal> =>
  err({ code, message });

const NOT_XLSX_HINT = '请使用下载的模板，在 Excel 或 WPS 中填写后保存为 .xlsx 再上传';

interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly dataStart: number;
}

function describeNonZip(file: Buffer): string {
  const head = file.subarray(0, 8);
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return '上传的是 PDF 文件，不是 Excel 工作簿';
  if (head.equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))) {
    return '上传的是旧版 .xls 或加密的工作簿，暂不支持';
  }
  return '上传的文件不是 Excel 工作簿（.xlsx），例如 CSV 或改了扩展名的文件';
}

/** The entries of the zip's central directory, each checked to lie inside the file. */
function readCentralDirectory(file: Buffer): Result<ZipEntry[], SheetRefusal> {
  const corrupt = refuse('not_xlsx', `文件已损坏，无法按 .xlsx 读取。${NOT_XLSX_HINT}`);
  const minEocd = Math.max(0, file.length - 22 - 0xffff);
  let eocd = -1;
  for (let p = file.length - 22; p >= minEocd; p--) {
    if (file.readUInt32LE(p) === 0x06054b50) {
      eocd = p;
      break;
    }
  }
  if (eocd < 0) return corrupt;
  const count = file.readUInt16LE(eocd + 10);
  const cdSize = file.readUInt32LE(eocd + 12);
  const cdOffset = file.readUInt32LE(eocd + 16);
  if (file.readUInt16LE(eocd + 4) !== 0 || count === 0xffff || cdOffset === 0xffffffff) return corrupt;
  if (count > LIMITS.entries)
    return refuse('zip_bomb', `文件内含 ${count} 个压缩条目，不是正常的工作簿，已拒绝`);
  if (cdOffset + cdSize > eocd) return corrupt;

  const entries: ZipEntry[] = [];
  const names = new Set<string>();
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > eocd || file.readUInt32LE(p) !== 0x02014b50) return corrupt;
    const flags = file.readUInt16LE(p + 8);
    const method = file.readUInt16LE(p + 10);
    const compressedSize = file.readUInt32LE(p + 20);
    const size = file.readUInt32LE(p + 24);
    const nameLength = file.readUInt16LE(p + 28);
    const next = p + 46 + nameLength + file.readUInt16LE(p + 30) + file.readUInt16LE(p + 32);
    const localOffset = file.readUInt32LE(p + 42);
    if (next > eocd) return corrupt;
    const name = file.subarray(p + 46, p + 46 + nameLength).toString('utf8');
    if (flags & 1) return refuse('not_xlsx', `工作簿已加密，请取消密码后再上传`);
    if ((method !== 0 && method !== 8) || names.has(name)) return corrupt;
    if (localOffset + 30 > cdOffset || file.readUInt32LE(localOffset) !== 0x04034b50) return corrupt;
    const dataStart =
      localOffset + 30 + file.readUInt16LE(localOffset + 26) + file.readUInt16LE(localOffset + 28);
    if (dataStart + compressedSize > cdOffset) return corrupt;
    names.add(name);
    entries.push({ name, method, compressedSize, size, dataStart });
    p = next;
  }
  return ok(entries);
}

/** The declared sizes, before inflating anything. */
function checkDeclaredSizes(entries: readonly ZipEntry[]): Result<void, SheetRefusal> {
  let total = 0;
  for (const e of entries) {
    if (e.size > LIMITS.entryBytes) {
      return refuse(
        'too_big_uncompressed',
        `文件解压后过大（${e.name} 超过 ${LIMITS.entryBytes / MB} MB），不是正常的绑定表，已拒绝`,
      );
    }
    if (e.size > LIMITS.ratioFloorBytes && e.size > LIMITS.ratio * Math.max(e.compressedSize, 1)) {
      return refuse('zip_bomb', `文件压缩比异常（${e.name}），疑似压缩炸弹，已拒绝`);
    }
    total += e.size;
  }
  if (total > LIMITS.totalBytes) {
    return refuse(
      'too_big_uncompressed',
      `文件解压后超过 ${LIMITS.totalBytes / MB} MB，不是正常的绑定表，已拒绝`,
    );
  }
  return ok(undefined);
}

/** Inflates one entry, never past its declared size: a lying header is a bomb. */
function inflate(file: Buffer, e: ZipEntry): Result<Buffer, SheetRefusal> {
  const data = file.subarray(e.dataStart, e.dataStart + e.compressedSize);
  let out: Buffer;
  if (e.method === 0) {
    out = data;
  } else {
    try {
      out = inflateRawSync(data, { maxOutputLength: e.size + 1 });
    } catch {
      // Either corrupt deflate data or more output than declared; both stop here.
      return refuse('zip_bomb', `文件内容与声明的大小不符（${e.name}），疑似压缩炸弹或文件已损坏，已拒绝`);
    }
  }
  if (out.length !== e.size) {
    return refuse('zip_bomb', `文件内容与声明的大小不符（${e.name}），疑似压缩炸弹或文件已损坏，已拒绝`);
  }
  return ok(out);
}

function countMatches(text: string, pattern: RegExp): number {
  let n = 0;
  for (const _ of text.matchAll(pattern)) n++;
  return n;
}

function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

/** Cells in every `A1:C9`-style range of `text` (with or without `$`), the way exceljs expands them. */
function rangeArea(text: string): number {
  let area = 0;
  for (const m of text.matchAll(/\$?([A-Z]{1,3})\$?(\d{1,7}):\$?([A-Z]{1,3})\$?(\d{1,7})/g)) {
    const cols = Math.abs(columnNumber(m[3] ?? '') - columnNumber(m[1] ?? '')) + 1;
    const rows = Math.abs(Number(m[4]) - Number(m[2])) + 1;
    area += cols * rows;
  }
  return area;
}

const tooComplex = (what: string) =>
  refuse('too_complex', `工作表结构过于复杂（${what}），请使用模板重新填写后上传`);

/** Row and cell coordinates stay inside Excel's grid, and there are not absurdly many of them. */
function checkWorksheet(xml: string): Result<void, SheetRefusal> {
  if (countMatches(xml, /<row\b/g) > LIMITS.rowElements) {
    return refuse('too_many_rows', `工作表行数过多，绑定表最多 5000 行数据`);
  }
  if (countMatches(xml, /<c\b/g) > LIMITS.cellElements) return tooComplex('单元格过多');
  for (const m of xml.matchAll(/<(row|c)\b[^>]*?\sr="([A-Z]*)(\d*)"/g)) {
    const letters = m[2] ?? '';
    const row = Number(m[3]);
    const badCol =
      m[1] === 'c' && (letters.length === 0 || letters.length > 3 || columnNumber(letters) > EXCEL_MAX_COL);
    if (badCol || !(row >= 1 && row <= EXCEL_MAX_ROW)) {
      return refuse('not_xlsx', `工作表中有超出 Excel 范围的单元格地址，文件已损坏。${NOT_XLSX_HINT}`);
    }
  }
  const merges = [...xml.matchAll(/<mergeCell\b[^>]*\sref="([^"]*)"/g)].map((m) => m[1] ?? '').join(' ');
  if (rangeArea(merges) > LIMITS.rangeCells) return tooComplex('合并单元格范围过大');
  return ok(undefined);
}

/**
 * Refuses anything that is not a plausible, bounded .xlsx workbook. On success the buffer is safe to
 * hand to exceljs with the worksheet nodes that expand ranges ignored (see SAFE_IGNORED_NODES).
 */
export function inspectXlsx(file: Buffer): Result<void, SheetRefusal> {
  if (file.length > LIMITS.fileBytes) {
    return refuse('too_large', `文件超过 ${LIMITS.fileBytes / MB} MB，请删除无关内容后再上传`);
  }
  if (file.length < 22 || file.readUInt32LE(0) !== 0x04034b50)
    return refuse('not_xlsx', describeNonZip(file));

  const directory = readCentralDirectory(file);
  if (!directory.ok) return directory;
  const entries = directory.value;
  const declared = checkDeclaredSizes(entries);
  if (!declared.ok) return declared;

  const byName = new Map(entries.map((e) => [e.name, e]));
  const contentTypes = byName.get('[Content_Types].xml');
  if (!contentTypes || !byName.has('xl/workbook.xml')) {
    return refuse('not_xlsx', `文件是压缩包，但不是 Excel 工作簿（.xlsx）。${NOT_XLSX_HINT}`);
  }

  let definedNameArea = 0;
  for (const e of entries) {
    const inflated = inflate(file, e);
    if (!inflated.ok) return inflated;
    if (e === contentTypes && !inflated.value.toString('utf8').includes('spreadsheetml.sheet.main+xml')) {
      return refuse('not_xlsx', `文件不是 .xlsx 工作簿（可能是 .xlsm、Word 或其他文档）。${NOT_XLSX_HINT}`);
    }
    if (e.name === 'xl/workbook.xml') {
      const names = [...inflated.value.toString('utf8').matchAll(/<definedName\b[^>]*>([^<]*)</g)];
      definedNameArea = rangeArea(names.map((m) => m[1] ?? '').join(' '));
    } else if (e.name === 'xl/sharedStrings.xml') {
      if (countMatches(inflated.value.toString('utf8'), /<si\b/g) > LIMITS.sharedStrings) {
        return refuse('too_big_uncompressed', `文件中的文本条目过多，不是正常的绑定表，已拒绝`);
      }
    } else if (/^xl\/worksheets\/sheet\d+\.xml$/.test(e.name)) {
      const sheet = checkWorksheet(inflated.value.toString('utf8'));
      if (!sheet.ok) return sheet;
    }
  }
  if (definedNameArea > LIMITS.rangeCells) return tooComplex('名称定义的范围过大');
  return ok(undefined);
}

/**
 * Worksheet parts exceljs would expand range by range (column specs, validations, formats, links,
 * tables) and that the importer does not need; merges are kept (bounded above) to report them.
 */
export const SAFE_IGNORED_NODES = [
  'cols',
  'dataValidations',
  'conditionalFormatting',
  'hyperlinks',
  'tableParts',
  'autoFilter',
  'drawing',
  'picture',
  'extLst',
  'rowBreaks',
];
