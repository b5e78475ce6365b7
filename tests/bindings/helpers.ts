/** Shared fixtures for the binding sheet tests: sheets built with exceljs, a raw zip writer, the demo people. */
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { BINDING_COLUMNS, SHEET_NAME } from '../../src/bindings/sheet/columns.js';
import {
  createBindingLookup,
  type BindingLookup,
  type ExistingBinding,
  type JdyEmployeeRef,
  type CrmUserRef,
} from '../../src/bindings/sheet/import.js';
import { PEOPLE } from '../../src/demo/story.js';

export const HEADERS = BINDING_COLUMNS.map((c) => c.header);
export const NOTES = BINDING_COLUMNS.map((c) => c.note);

/** Reads a workbook back with exceljs as-is (its declared Buffer type is an ArrayBuffer). */
export async function loadWorkbook(file: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(new Uint8Array(file).buffer);
  return workbook;
}

/** A workbook whose first sheet holds `rows` from row 1 (so pass headers and notes yourself). */
export async function workbookBuffer(
  rows: readonly (readonly ExcelJS.CellValue[])[],
  edit?: (sheet: ExcelJS.Worksheet) => void,
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(SHEET_NAME);
  rows.forEach((values, i) => {
    const row = sheet.getRow(i + 1);
    values.forEach((v, j) => {
      if (v !== undefined) row.getCell(j + 1).value = v;
    });
  });
  edit?.(sheet);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A sheet in the template layout (headers, notes) with `data` from row 3. */
export function bindingSheet(
  data: readonly (readonly ExcelJS.CellValue[])[],
  edit?: (sheet: ExcelJS.Worksheet) => void,
): Promise<Buffer> {
  return workbookBuffer([HEADERS, NOTES, ...data], edit);
}

export interface ZipPart {
  readonly name: string;
  readonly data: Buffer;
  /** Lie about the inflated size in the headers (a bomb that hides its size). */
  readonly declaredSize?: number;
  /** Already deflated (a bomb too big to hold inflated): `data` is then ignored; give size and crc. */
  readonly deflated?: { readonly bytes: Buffer; readonly size: number; readonly crc: number };
}

export function unzip(file: Buffer): ZipPart[] {
  const eocd = file.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = file.readUInt16LE(eocd + 10);
  let p = file.readUInt32LE(eocd + 16);
  const parts: ZipPart[] = [];
  for (let i = 0; i < count; i++) {
    const method = file.readUInt16LE(p + 10);
    const compressed = file.readUInt32LE(p + 20);
    const nameLength = file.readUInt16LE(p + 28);
    const local = file.readUInt32LE(p + 42);
    const name = file.subarray(p + 46, p + 46 + nameLength).toString('utf8');
    const start = local + 30 + file.readUInt16LE(local + 26) + file.readUInt16LE(local + 28);
    const raw = file.subarray(start, start + compressed);
    parts.push({ name, data: method === 8 ? inflateRawSync(raw) : Buffer.from(raw) });
    p += 46 + nameLength + file.readUInt16LE(p + 30) + file.readUInt16LE(p + 32);
  }
  return parts;
}

export function zip(parts: readonly ZipPart[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const name = Buffer.from(part.name, 'utf8');
    const data = part.deflated?.bytes ?? deflateRawSync(part.data, { level: 9 });
    const size = part.declaredSize ?? part.deflated?.size ?? part.data.length;
    const crc = part.deflated?.crc ?? crc32(part.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** Replaces (or adds) one part of an xlsx. */
export function withPart(file: Buffer, part: ZipPart): Buffer {
  const parts = unzip(file).filter((p) => p.name !== part.name);
  return zip([...parts, part]);
}

/** The demo company's people: employees EMP001–EMP009, CRM users fs-1 … (孙丽 only in the CRM). */
export function storyState(bindings: readonly ExistingBinding[] = []): {
  employees: JdyEmployeeRef[];
  crmUsers: CrmUserRef[];
  bindings: readonly ExistingBinding[];
} {
  const employees = PEOPLE.flatMap((p) =>
    p.jdyNumber
      ? [{ jdyEmpId: `jdy-${p.jdyNumber}`, number: p.jdyNumber, name: p.name, mobile: p.jdyMobile }]
      : [],
  );
  const crmUsers = PEOPLE.flatMap((p, i) =>
    p.crmMobile ? [{ crmUserId: `fs-${i + 1}`, name: p.name, mobile: p.crmMobile }] : [],
  );
  return { employees, crmUsers, bindings };
}

export function storyLookup(bindings: readonly ExistingBinding[] = []): BindingLookup {
  return createBindingLookup(storyState(bindings));
}
