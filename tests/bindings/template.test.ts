import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import {
  BINDING_COLUMNS,
  FIRST_DATA_ROW,
  MAX_DATA_ROWS,
  NOTES_ROW,
  SHEET_NAME,
} from '../../src/bindings/sheet/columns.js';
import { buildBindingTemplate } from '../../src/bindings/sheet/template.js';
import { parseBindingSheet } from '../../src/bindings/sheet/import.js';
import { loadWorkbook } from './helpers.js';

async function open(file: Buffer): Promise<ExcelJS.Worksheet> {
  const workbook = await loadWorkbook(file);
  const sheet = workbook.getWorksheet(SHEET_NAME);
  assert.ok(sheet, `sheet ${SHEET_NAME}`);
  return sheet;
}

function rowTexts(sheet: ExcelJS.Worksheet, n: number): unknown[] {
  return BINDING_COLUMNS.map((_, i) => sheet.getRow(n).getCell(i + 1).value);
}

for (const [label, load] of [
  ['the committed template', () => readFile('templates/员工绑定模板.xlsx')],
  ['the generated template', () => buildBindingTemplate()],
] as const) {
  test(`${label} has the column definition's headers, notes, widths and a frozen header`, async () => {
    const sheet = await open(await load());
    assert.deepEqual(
      rowTexts(sheet, 1),
      BINDING_COLUMNS.map((c) => c.header),
    );
    assert.deepEqual(
      rowTexts(sheet, NOTES_ROW),
      BINDING_COLUMNS.map((c) => c.note),
    );
    BINDING_COLUMNS.forEach((c, i) => assert.equal(sheet.getColumn(i + 1).width, c.width, c.header));
    const view = sheet.views[0];
    assert.equal(view?.state, 'frozen');
    assert.equal(view?.state === 'frozen' ? view.ySplit : undefined, NOTES_ROW);
    assert.equal(sheet.actualRowCount, 2, 'no data rows');
  });

  test(`${label} validates the mobile columns (and only those) on every data row`, async () => {
    const sheet = await open(await load());
    BINDING_COLUMNS.forEach((c, i) => {
      for (const row of [FIRST_DATA_ROW, FIRST_DATA_ROW + MAX_DATA_ROWS - 1]) {
        const validation = sheet.getRow(row).getCell(i + 1).dataValidation;
        if (c.kind !== 'mobile') {
          assert.equal(validation, undefined, `${c.header} has no validation`);
          continue;
        }
        assert.equal(validation?.type, 'custom', c.header);
        assert.match(String(validation?.formulae[0]), /LEN\([A-Z]+\d+\)=11/);
        assert.equal(validation?.showInputMessage, true);
        assert.match(validation?.prompt ?? '', /11 位/);
      }
    });
  });
}

test('the template itself imports as an empty sheet, not as bad headers', async () => {
  const parsed = await parseBindingSheet(await readFile('templates/员工绑定模板.xlsx'), '员工绑定模板.xlsx');
  assert.equal(parsed.ok ? 'ok' : parsed.error.code, 'empty');
});
