import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateRawSync } from 'node:zlib';
import { buildBindingExport } from '../../src/bindings/sheet/export.js';
import {
  parseBindingSheet,
  planBindingImport,
  toImportResponse,
  validateBindingRows,
  type ParsedRow,
  type SheetParseResult,
} from '../../src/bindings/sheet/import.js';
import { LIMITS } from '../../src/bindings/sheet/xlsx-guard.js';
import {
  HEADERS,
  NOTES,
  bindingSheet,
  loadWorkbook,
  storyLookup,
  unzip,
  withPart,
  workbookBuffer,
  zip,
} from './helpers.js';

function rowsOf(result: SheetParseResult): readonly ParsedRow[] {
  assert.ok(result.ok, result.ok ? '' : `refused: ${result.error.code} ${result.error.message}`);
  return result.value.rows;
}

function refusal(result: SheetParseResult): string {
  assert.ok(!result.ok, 'expected a refusal');
  assert.match(result.error.message, /\p{Script=Han}/u, 'a Chinese message');
  return result.error.code;
}

/** The errors of one row as "column: message" lines. */
function errorsAt(
  rows: readonly { row: number; errors: readonly { column: string; message: string }[] }[],
  row: number,
) {
  return (rows.find((r) => r.row === row)?.errors ?? []).map((e) => `${e.column}: ${e.message}`);
}

const GOOD = ['EMP001', '王建国', '13911110001', '13911110001', '王建国'];

// ---------------------------------------------------------------- file-level refusals

test('not an xlsx: a PDF, a CSV, a docx-like zip, a truncated xlsx, a wrong extension', async () => {
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF');
  assert.equal(refusal(await parseBindingSheet(pdf, 'bindings.xlsx')), 'not_xlsx');
  const csv = Buffer.from(`${HEADERS.join(',')}\nEMP001,王建国,13911110001,13911110001,王建国\n`);
  assert.equal(refusal(await parseBindingSheet(csv)), 'not_xlsx');
  const docx = zip([
    { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
    { name: 'word/document.xml', data: Buffer.from('<w/>') },
  ]);
  assert.equal(refusal(await parseBindingSheet(docx)), 'not_xlsx');
  const good = await bindingSheet([GOOD]);
  assert.equal(refusal(await parseBindingSheet(good.subarray(0, good.length - 30))), 'not_xlsx');
  assert.equal(refusal(await parseBindingSheet(good, 'bindings.csv')), 'not_xlsx');
  assert.equal(refusal(await parseBindingSheet(Buffer.alloc(0))), 'not_xlsx');
});

test('a file over 5 MB is refused before it is opened', async () => {
  const big = Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(LIMITS.fileBytes)]);
  assert.equal(refusal(await parseBindingSheet(big, 'big.xlsx')), 'too_large');
});

test('more than 5 000 data rows is refused; 5 000 are accepted', async () => {
  const rows = (n: number) => Array.from({ length: n }, (_, i) => [`E${i}`, null, null, null, `某人${i}`]);
  assert.equal(refusal(await parseBindingSheet(await bindingSheet(rows(5001)))), 'too_many_rows');
  assert.equal(rowsOf(await parseBindingSheet(await bindingSheet(rows(5000)))).length, 5000);
});

test('missing or renamed headers are refused, naming them', async () => {
  const renamed = [...HEADERS];
  renamed[3] = '纷享手机';
  const result = await parseBindingSheet(await workbookBuffer([renamed.slice(0, 4), NOTES, GOOD]));
  assert.equal(refusal(result), 'missing_headers');
  assert.ok(!result.ok);
  assert.deepEqual(result.error.headers, ['纷享员工手机', '纷享员工姓名']);
  assert.match(result.error.message, /「纷享员工手机」「纷享员工姓名」/);
  assert.match(result.error.message, /纷享手机/);
  assert.equal(refusal(await parseBindingSheet(await workbookBuffer([[], GOOD]))), 'missing_headers');
  assert.equal(
    refusal(await parseBindingSheet(await workbookBuffer([[...HEADERS, HEADERS[0]], GOOD]))),
    'duplicate_headers',
  );
});

test('headers are found by name in any order, with spaces or full-width variants, extra columns ignored', async () => {
  const order = [4, 0, 3, 1, 2];
  const headers = ['备注', ...order.map((i) => ` ${HEADERS[i]} `)];
  const row = ['随便写', ...order.map((i) => GOOD[i] ?? null)];
  const rows = rowsOf(await parseBindingSheet(await workbookBuffer([headers, row])));
  assert.deepEqual(
    rows.map((r) => [r.row, r.errors.length, r.values.jdyNumber, r.values.crmName]),
    [[2, 0, 'EMP001', '王建国']],
  );
});

test('zip bombs and huge shared strings are refused from the zip directory, before exceljs', async () => {
  const sheet = await bindingSheet([GOOD]);
  // 60 MB of shared strings that compress to a few dozen KB.
  const huge = Buffer.from(`<sst>${'<si><t>a</t></si>'.repeat(4_000_000)}</sst>`);
  assert.equal(
    refusal(await parseBindingSheet(withPart(sheet, { name: 'xl/sharedStrings.xml', data: huge }))),
    'too_big_uncompressed',
  );
  // Under the size bound but at an absurd ratio.
  const dense = Buffer.alloc(10 * 1024 * 1024, 0x41);
  assert.equal(
    refusal(await parseBindingSheet(withPart(sheet, { name: 'xl/sharedStrings.xml', data: dense }))),
    'zip_bomb',
  );
  // A header that lies about the inflated size: inflation stops at the declared size.
  const liar = withPart(sheet, { name: 'xl/sharedStrings.xml', data: huge, declaredSize: 1000 });
  assert.equal(refusal(await parseBindingSheet(liar)), 'zip_bomb');
  // Many small strings, each sheet part modest: still more strings than any binding sheet needs.
  const many = Buffer.from(
    `<sst>${Array.from({ length: 150_000 }, (_, i) => `<si><t>${i}</t></si>`).join('')}</sst>`,
  );
  assert.equal(
    refusal(await parseBindingSheet(withPart(sheet, { name: 'xl/sharedStrings.xml', data: many }))),
    'too_big_uncompressed',
  );
  assert.ok(deflateRawSync(huge).length < LIMITS.fileBytes, 'the bomb itself is a small upload');
});

test('ranges exceljs would expand cell by cell (merges, defined names) are bounded', async () => {
  const sheet = await bindingSheet([GOOD]);
  const xml =
    unzip(sheet)
      .find((p) => p.name === 'xl/worksheets/sheet1.xml')
      ?.data.toString('utf8') ?? '';
  const merged = xml.replace(
    '</sheetData>',
    '</sheetData><mergeCells count="1"><mergeCell ref="A3:XFD1048576"/></mergeCells>',
  );
  assert.equal(
    refusal(
      await parseBindingSheet(
        withPart(sheet, { name: 'xl/worksheets/sheet1.xml', data: Buffer.from(merged) }),
      ),
    ),
    'too_complex',
  );
  const workbook =
    unzip(sheet)
      .find((p) => p.name === 'xl/workbook.xml')
      ?.data.toString('utf8') ?? '';
  const named = workbook.replace(
    '</sheets>',
    `</sheets><definedNames><definedName name="all">'员工绑定'!$A$1:$XFD$1048576</definedName></definedNames>`,
  );
  assert.equal(
    refusal(await parseBindingSheet(withPart(sheet, { name: 'xl/workbook.xml', data: Buffer.from(named) }))),
    'too_complex',
  );
  const farRow = xml.replace('<row r="3"', '<row r="99999999"');
  assert.equal(
    refusal(
      await parseBindingSheet(
        withPart(sheet, { name: 'xl/worksheets/sheet1.xml', data: Buffer.from(farRow) }),
      ),
    ),
    'not_xlsx',
  );
});

// ---------------------------------------------------------------- cell-level problems

test('each malformed cell is reported on its row and column', async () => {
  const rows = rowsOf(
    await parseBindingSheet(
      await bindingSheet(
        [
          ['EMP001', '王建国', 13911110001, 13911110001, null], // 3: numbers in mobile columns: fine
          ['ＥＭＰ００２', '李秀英', '１３９　１１１１　０００２', '+86 139 1111 0002', null], // 4: full-width: fine
          [], // 5: empty row in the middle
          ['EMP003', { formula: 'CONCAT("张","伟")', result: '张伟' }, null, '13911110003', null], // 6: formula
          ['=HYPERLINK("http://x")', null, null, '13911110004', null], // 7: formula-looking text
          ['EMP005', '-陈静', null, '@13911110005', null], // 8
          ['EMP006', null, null, 1391111000, null], // 9: a number, not a mobile
          ['EMP007', null, '139-1111-000', null, null], // 10: bad mobile, and no CRM user given
          [null, '杨磊', null, null, '杨磊'], // 11: no code
          ['EMP001', null, null, '13911110001', null], // 12: same employee and same CRM mobile as row 3
          ['EMP009', new Date('2024-01-01'), null, null, true], // 13: date and boolean
          ['EMP010', { richText: [{ text: '赵' }, { text: '敏' }] }, null, { error: '#N/A' }, null], // 14
          ['EMP011', 'x'.repeat(5000), null, null, '孙丽'], // 15: huge string
          ['EMP012', null, null, null, 'A'], // 16, 17: merged
          ['EMP013', null, null, null, null],
        ],
        (sheet) => sheet.mergeCells('E16:E17'),
      ),
    ),
  );
  assert.deepEqual(errorsAt(rows, 3), []);
  assert.deepEqual(rows.find((r) => r.row === 4)?.values, {
    jdyNumber: 'EMP002',
    jdyName: '李秀英',
    jdyMobile: '13911110002',
    crmMobile: '13911110002',
    crmName: null,
  });
  assert.deepEqual(errorsAt(rows, 5), [
    '精斗云职员编码: 第 5 行是空行：数据中间不能有空行，请删除该行或补全内容',
  ]);
  assert.deepEqual(errorsAt(rows, 6), [
    '精斗云职员姓名: 第 6 行「精斗云职员姓名」：单元格是公式；导入不会计算公式，请改为直接填写内容',
  ]);
  assert.deepEqual(errorsAt(rows, 7), [
    '精斗云职员编码: 第 7 行「精斗云职员编码」：内容以「=」开头，可能被当作公式，已拒绝（不会计算）；请删除开头的「=」',
  ]);
  assert.deepEqual(
    errorsAt(rows, 8).map((e) => e.split(':')[0]),
    ['精斗云职员姓名', '纷享员工手机'],
  );
  assert.deepEqual(errorsAt(rows, 9), [
    '纷享员工手机: 第 9 行「纷享员工手机」：不是有效的手机号（应为 11 位中国大陆手机号）',
  ]);
  assert.deepEqual(errorsAt(rows, 10), [
    '精斗云职员手机: 第 10 行「精斗云职员手机」：不是有效的手机号（应为 11 位中国大陆手机号）',
    '纷享员工手机: 第 10 行「纷享员工手机」：请填写纷享员工手机或纷享员工姓名（至少一项）',
  ]);
  assert.deepEqual(errorsAt(rows, 11), ['精斗云职员编码: 第 11 行「精斗云职员编码」：必填，不能为空']);
  assert.deepEqual(errorsAt(rows, 12), [
    '精斗云职员编码: 第 12 行「精斗云职员编码」：与第 3 行重复：同一精斗云职员只能出现一次',
    '纷享员工手机: 第 12 行「纷享员工手机」：与第 3 行的纷享员工手机相同：一名纷享员工只能绑定一名职员',
  ]);
  assert.deepEqual(errorsAt(rows, 13), [
    '精斗云职员姓名: 第 13 行「精斗云职员姓名」：应填写文本，不能是日期',
    '纷享员工姓名: 第 13 行「纷享员工姓名」：应填写文本，不能是逻辑值（TRUE/FALSE）',
  ]);
  assert.equal(rows.find((r) => r.row === 14)?.values.jdyName, '赵敏');
  assert.deepEqual(errorsAt(rows, 14), [
    '纷享员工手机: 第 14 行「纷享员工手机」：单元格是错误值（#N/A），请改为直接填写内容',
  ]);
  assert.deepEqual(errorsAt(rows, 15), [
    '精斗云职员姓名: 第 15 行「精斗云职员姓名」：内容过长（最多 64 个字符）',
  ]);
  for (const row of [16, 17]) {
    assert.deepEqual(errorsAt(rows, row), [
      `纷享员工姓名: 第 ${row} 行「纷享员工姓名」：不支持合并单元格，请取消合并后逐行填写`,
    ]);
  }
});

test('trailing empty rows are ignored and the notes row is optional', async () => {
  const withoutNotes = rowsOf(
    await parseBindingSheet(await workbookBuffer([HEADERS, GOOD, [], [null, null]])),
  );
  assert.deepEqual(
    withoutNotes.map((r) => [r.row, r.errors.length]),
    [[2, 0]],
  );
});

// ---------------------------------------------------------------- validation against the current state

const BOUND_ZHANG = {
  jdyEmpId: 'jdy-EMP003',
  jdyNumber: 'EMP003',
  jdyName: '张伟',
  crmUserId: 'fs-3',
  crmUserName: '张伟',
};

test('rows are checked against employees, CRM users and existing bindings', async () => {
  const rows = rowsOf(
    await parseBindingSheet(
      await bindingSheet([
        ['EMP008', '周杰', '13911110008', '+86 139 1111 0008', null], // 3 ok (JDY stores "+86 139 1111 0008")
        ['EMP404', null, null, '13911110004', null], // 4 unknown employee
        ['EMP001', '王健国', '13911110009', '13911110001', null], // 5 name and mobile disagree with JDY
        ['EMP002', null, null, '13800000000', null], // 6 unknown CRM mobile
        ['EMP004', null, null, null, '不存在'], // 7 unknown CRM name
        ['EMP005', null, null, '13911110005', '赵敏'], // 8 mobile and name are different people
        ['EMP006', null, null, '13911110003', null], // 9 CRM user already bound to EMP003
        ['EMP003', null, null, '13911110007', null], // 10 employee already bound
        ['EMP007', null, null, null, '周杰'], // 11 same CRM user as row 3, reached by name
      ]),
    ),
  );
  const reports = validateBindingRows(rows, storyLookup([BOUND_ZHANG]));
  assert.deepEqual(
    reports.map((r) => [r.row, r.status]),
    [
      [3, 'ok'],
      [4, 'error'],
      [5, 'error'],
      [6, 'error'],
      [7, 'error'],
      [8, 'error'],
      [9, 'error'],
      [10, 'error'],
      [11, 'error'],
    ],
  );
  assert.deepEqual(errorsAt(reports, 4), [
    '精斗云职员编码: 第 4 行「精斗云职员编码」：精斗云中没有编码为「EMP404」的职员',
  ]);
  assert.deepEqual(errorsAt(reports, 5), [
    '精斗云职员姓名: 第 5 行「精斗云职员姓名」：与精斗云不一致：编码「EMP001」的职员姓名为「王建国」',
    '精斗云职员手机: 第 5 行「精斗云职员手机」：与精斗云不一致：编码「EMP001」的职员手机为「13911110001」',
  ]);
  assert.deepEqual(errorsAt(reports, 6), [
    '纷享员工手机: 第 6 行「纷享员工手机」：纷享销客中没有手机号为 13800000000 的员工',
  ]);
  assert.deepEqual(errorsAt(reports, 7), [
    '纷享员工姓名: 第 7 行「纷享员工姓名」：纷享销客中没有名为「不存在」的员工',
  ]);
  assert.deepEqual(errorsAt(reports, 8), [
    '纷享员工姓名: 第 8 行「纷享员工姓名」：与手机号 13911110005 对应的纷享员工「陈静」不是同一人',
  ]);
  assert.deepEqual(errorsAt(reports, 9), [
    '纷享员工手机: 第 9 行「纷享员工手机」：该纷享员工已绑定精斗云职员「EMP003 张伟」，请先在绑定列表中解除',
  ]);
  assert.deepEqual(errorsAt(reports, 10), [
    '精斗云职员编码: 第 10 行「精斗云职员编码」：该职员已绑定纷享员工「张伟」，请先在绑定列表中解除',
  ]);
  assert.deepEqual(errorsAt(reports, 11), [
    '纷享员工姓名: 第 11 行「纷享员工姓名」：与第 3 行是同一纷享员工「周杰」，一名纷享员工只能绑定一名职员',
  ]);
});

test('several CRM users with one name or one mobile are ambiguous', async () => {
  const rows = rowsOf(await parseBindingSheet(await bindingSheet([['EMP001', null, null, null, '王建国']])));
  const lookup = storyLookup();
  const twins = {
    ...lookup,
    crmUsersByName: () => [
      { crmUserId: 'a', name: '王建国', mobile: null },
      { crmUserId: 'b', name: '王建国', mobile: null },
    ],
  };
  assert.deepEqual(errorsAt(validateBindingRows(rows, twins), 3), [
    '纷享员工姓名: 第 3 行「纷享员工姓名」：纷享销客中有 2 名员工名为「王建国」，请改填纷享员工手机',
  ]);
});

test('check writes nothing, apply is all-or-nothing, apply-valid takes the ok rows', async () => {
  const rows = rowsOf(
    await parseBindingSheet(
      await bindingSheet([
        ['EMP001', null, null, '13911110001', null],
        ['EMP002', null, null, null, '李秀英'],
        ['EMP003', null, null, null, '张伟'],
        ['EMP404', null, null, '13911110004', null],
      ]),
    ),
  );
  const reports = validateBindingRows(rows, storyLookup([BOUND_ZHANG]));
  assert.deepEqual(planBindingImport(reports, 'check').writes, []);
  assert.deepEqual(planBindingImport(reports, 'apply').writes, []);
  assert.deepEqual(
    planBindingImport(reports, 'apply-valid').writes.map((b) => [b.row, b.jdyEmpId, b.crmUserId]),
    [
      [3, 'jdy-EMP001', 'fs-1'],
      [4, 'jdy-EMP002', 'fs-2'],
    ],
  );
  const allOk = reports.slice(0, 3);
  assert.equal(planBindingImport(allOk, 'apply').writes.length, 2, 'the already-bound row needs no write');
  assert.deepEqual(planBindingImport([], 'apply').writes, []);
  assert.deepEqual(toImportResponse(reports, 2).rows[3], {
    row: 6,
    status: 'error',
    errors: [
      { column: '精斗云职员编码', message: '第 6 行「精斗云职员编码」：精斗云中没有编码为「EMP404」的职员' },
    ],
  });
});

// ---------------------------------------------------------------- export

test('an export re-imports as the same bindings, all already in place', async () => {
  const state = storyLookup();
  const people = [
    ['EMP001', '王建国', '13911110001', 'fs-1', '13911110001'],
    ['EMP008', '周杰', '+86 139 1111 0008', 'fs-8', '13911110008'],
    ['EMP002', '李秀英', null, 'fs-2', null], // no mobiles: re-imported by name
  ] as const;
  const bindings = people.map(([number, name, , crmUserId]) => ({
    jdyEmpId: `jdy-${number}`,
    jdyNumber: number,
    jdyName: name,
    crmUserId,
    crmUserName: name,
  }));
  const file = await buildBindingExport(
    people.map(([number, name, jdyMobile, , crmMobile]) => ({
      jdyNumber: number,
      jdyName: name,
      jdyMobile,
      crmUserName: name,
      crmMobile,
    })),
  );
  const sheet = (await loadWorkbook(file)).worksheets[0];
  assert.deepEqual(
    [1, 2, 3, 4, 5].map((c) => sheet?.getRow(4).getCell(c).value),
    ['EMP008', '周杰', '13911110008', '13911110008', '周杰'],
  );

  const reports = validateBindingRows(
    rowsOf(await parseBindingSheet(file, '导出.xlsx')),
    storyLookup(bindings),
  );
  assert.deepEqual(
    reports.map((r) => [r.row, r.status, r.binding?.jdyEmpId, r.binding?.crmUserId, r.binding?.alreadyBound]),
    [
      [3, 'ok', 'jdy-EMP001', 'fs-1', true],
      [4, 'ok', 'jdy-EMP008', 'fs-8', true],
      [5, 'ok', 'jdy-EMP002', 'fs-2', true],
    ],
  );
  assert.deepEqual(planBindingImport(reports, 'apply').writes, []);
  // Into an account with no bindings yet, the same file creates all three.
  const fresh = validateBindingRows(rowsOf(await parseBindingSheet(file)), state);
  assert.equal(planBindingImport(fresh, 'apply').writes.length, 3);
});
