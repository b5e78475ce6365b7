/**
 * A few hundred generated malformed sheets (seeded, so a failure reproduces): the importer never
 * throws, `check` plans no write, and every problem names its row and column (or, for a refused
 * file, the problem itself).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import {
  parseBindingSheet,
  planBindingImport,
  validateBindingRows,
  type SheetRefusalCode,
} from '../../src/bindings/sheet/import.js';
import { HEADERS, NOTES, storyLookup, workbookBuffer } from './helpers.js';

const SHEETS = 300;
const SEED = 20250101;

/** mulberry32: small, seedable, good enough to vary test input. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const REFUSALS: readonly SheetRefusalCode[] = [
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

function generator(seed: number) {
  const random = prng(seed);
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

test(`${SHEETS} generated malformed sheets: no throw, no write on check, every error located`, async () => {
  const { sheet } = generator(SEED);
  const lookup = storyLookup();
  const seen = new Map<string, number>();
  for (let i = 0; i < SHEETS; i++) {
    const { file, filename } = await sheet();
    const label = `sheet #${i} (seed ${SEED})`;
    const parsed = await parseBindingSheet(file, filename);
    if (!parsed.ok) {
      assert.ok(REFUSALS.includes(parsed.error.code), `${label}: refusal code ${parsed.error.code}`);
      assert.match(parsed.error.message, /\p{Script=Han}/u, `${label}: a Chinese message`);
      seen.set(parsed.error.code, (seen.get(parsed.error.code) ?? 0) + 1);
      continue;
    }
    seen.set('parsed', (seen.get('parsed') ?? 0) + 1);
    const reports = validateBindingRows(parsed.value.rows, lookup);
    assert.equal(reports.length, parsed.value.rows.length, label);
    assert.deepEqual(planBindingImport(reports, 'check').writes, [], `${label}: check writes nothing`);
    const failing = reports.some((r) => r.status === 'error');
    if (failing)
      assert.deepEqual(planBindingImport(reports, 'apply').writes, [], `${label}: apply is all-or-nothing`);
    for (const report of reports) {
      assert.ok(Number.isInteger(report.row) && report.row >= 2, `${label}: row ${report.row}`);
      assert.equal(
        report.status === 'ok',
        report.errors.length === 0,
        `${label}: status of row ${report.row}`,
      );
      for (const e of report.errors) {
        assert.ok(HEADERS.includes(e.column), `${label}: column ${e.column}`);
        assert.ok(
          e.message.startsWith(`第 ${report.row} 行`),
          `${label}: message names the row: ${e.message}`,
        );
      }
    }
  }
  // The generator must actually reach both the refusals and the row-by-row path.
  assert.ok((seen.get('parsed') ?? 0) > SHEETS / 3, JSON.stringify([...seen]));
  assert.ok(seen.size >= 4, JSON.stringify([...seen]));
});
