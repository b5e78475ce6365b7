/**
 * A few hundred generated malformed sheets (seeded, so a failure reproduces): the importer never
 * throws, `check` plans no write, and every problem names its row and column (or, for a refused
 * file, the problem itself).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseBindingSheet,
  planBindingImport,
  validateBindingRows,
} from '../../src/bindings/sheet/import.js';
import { HEADERS, storyLookup } from './helpers.js';
import { REFUSALS, malformedSheets } from './malformed-sheets.js';

const SHEETS = 300;
const SEED = 20250101;

test(`${SHEETS} generated malformed sheets: no throw, no write on check, every error located`, async () => {
  const { sheet } = malformedSheets(SEED);
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
