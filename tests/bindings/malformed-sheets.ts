/**
 * Generated malformed binding sheets (seeded, so a failure reproduces): shuffled, missing or extra
 * headers, every kind of cell value exceljs knows, merges, byte-level damage and wrong file names.
 * Used against the sheet module (property.test.ts) and the import endpoint (tests/setup).
 */
import ExcelJS from 'exceljs';
import type { SheetRefusalCode } from '../../src/bindings/sheet/import.js';
import { seeded } from '../helpers/prng.js';
import { HEADERS, NOTES, workbookBuffer } from './helpers.js';

/** Every whole-file refusal the sheet module may answer. */
export const REFUSALS: readonly SheetRefusalCode[] = [
  'not_xlsx',
  'too_large',
  'too_many_rows',
  'missing_headers',
  'duplicate_headers',
  'zip_bomb',
  'too_big_uncompressed',
  'too_complex',
  'empty',
];

/** A generator of malformed sheets: each `sheet()` is the next file, with a file name or none. */
export function malformedSheets(seed: number) {
  const random = seeded(seed);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const chance = (p: number) => random() < p;

  const cellValues: (() => ExcelJS.CellValue)[] = [
    () => null,
    () => pick(['EMP001', 'EMP002', 'EMP003', 'EMP008', 'EMP009', 'EMP404', ' emp001 ', 'ＥＭＰ００５']),
    () => pick(['王建国', '李秀英', '周杰', '孙丽', '吴刚', '王 建国', '不存在']),
    () => `139111100${String(int(12)).padStart(2, '0')}`,
    () => 13911110000 + int(12),
    () =>
      pick([
        '+86 139 1111 0008',
        '８６１３９１１１１０００１',
        '139-1111-0003',
        '0086 13911110004',
        '+1 555 0100',
      ]),
    () => ({
      formula: pick(['1+1', 'A1', 'HYPERLINK("http://evil")', 'cmd|"/c calc"!A0']),
      result: pick([2, 'x']),
    }),
    () => pick(['=1+1', '+SUM(A1)', '-2+3', '@SUM(A1)', '=cmd|"/c calc"!A0', '＝1']),
    () => random() * 1e12 - 5e11,
    () => pick([0, -1, 1e308, Number.MAX_SAFE_INTEGER, 3.14]),
    () => new Date(int(4e12)),
    () => chance(0.5),
    () => ({
      richText: [
        { text: pick(['王', '=', '139']) },
        { font: { bold: true }, text: pick(['建国', '1111', 'x']) },
      ],
    }),
    () => ({ text: pick(['周杰', '13911110001']), hyperlink: 'https://example.com' }),
    () => ({ error: pick(['#N/A', '#REF!', '#DIV/0!']) as ExcelJS.CellErrorValue['error'] }),
    () => pick(['x', '一', '😀', '\u202e', 'e\u0301']).repeat(1 + int(20_000)),
    () => pick(['😀👍', 'עברית', 'Ünïcödé', '\u3000\u3000', '  ', '\t\n', '王\n建国', 'null', 'undefined']),
  ];
  const cell = (): ExcelJS.CellValue => pick(cellValues)();

  function headers(): ExcelJS.CellValue[] {
    const h: ExcelJS.CellValue[] = [...HEADERS];
    if (chance(0.15)) h.splice(int(h.length), 1);
    if (chance(0.1)) h[int(h.length)] = pick(['纷享手机', '编码', cell()]);
    if (chance(0.1)) h.push(pick(HEADERS));
    if (chance(0.3)) h.sort(() => random() - 0.5);
    if (chance(0.2)) h.push('备注');
    return h;
  }

  async function sheet(): Promise<{ file: Buffer; filename?: string }> {
    const rows: ExcelJS.CellValue[][] = [headers()];
    if (chance(0.7)) rows.push(chance(0.9) ? [...NOTES] : NOTES.map(() => cell()));
    const count = int(14);
    for (let r = 0; r < count; r++) {
      rows.push(chance(0.1) ? [] : Array.from({ length: 5 + int(2) }, cell));
    }
    let file = await workbookBuffer(rows, (ws) => {
      if (chance(0.3) && rows.length > 3) {
        const top = 2 + int(rows.length - 2);
        const left = 1 + int(5);
        try {
          ws.mergeCells(top, left, top + int(3), left + int(2));
        } catch {
          // overlapping merge: the generator simply skips it
        }
      }
    });
    if (chance(0.15)) file = mutate(file);
    const filename = chance(0.2)
      ? pick(['a.xlsx', 'A.XLSX', 'b.csv', 'c.pdf', 'noext', '绑定.xlsx'])
      : undefined;
    return filename === undefined ? { file } : { file, filename };
  }

  /** Byte-level damage: truncation, flipped bytes, trailing junk, or no xlsx at all. */
  function mutate(file: Buffer): Buffer {
    switch (int(4)) {
      case 0:
        return file.subarray(0, int(file.length));
      case 1: {
        const copy = Buffer.from(file);
        for (let i = 0; i < 1 + int(8); i++) copy[int(copy.length)] = int(256);
        return copy;
      }
      case 2:
        return Buffer.concat([file, Buffer.alloc(int(1000), int(256))]);
      default:
        return Buffer.from(Array.from({ length: int(2000) }, () => int(256)));
    }
  }

  return { sheet };
}
