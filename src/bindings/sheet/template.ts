/** The binding sheet's layout, written by the template and the export alike so that both re-import. */
import ExcelJS from 'exceljs';
import {
  BINDING_COLUMNS,
  FIRST_DATA_ROW,
  HEADER_ROW,
  MAX_DATA_ROWS,
  NOTES_ROW,
  SHEET_NAME,
  type BindingColumnKey,
} from './columns.js';

export type SheetValues = Readonly<Record<BindingColumnKey, string | null>>;

/** Fixed so that regenerating the committed template does not change its document properties. */
const TEMPLATE_DATE = new Date('2025-01-01T00:00:00+08:00');

/**
 * exceljs's range-level validations (one `<dataValidation sqref="D3:D5002">` instead of 5 000 cells);
 * the API exists at runtime but is missing from its type declarations.
 */
interface RangeValidations {
  add(range: string, validation: ExcelJS.DataValidation): void;
}

function columnLetter(index: number): string {
  // Five columns: a single letter is all the sheet ever needs.
  return String.fromCharCode('A'.charCodeAt(0) + index);
}

/** A workbook in the binding layout with `rows` as data; the template is the empty case. */
export async function writeBindingWorkbook(
  rows: readonly SheetValues[],
  created = new Date(),
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '精斗云连接器';
  workbook.created = created;
  workbook.modified = created;
  const sheet = workbook.addWorksheet(SHEET_NAME, {
    views: [{ state: 'frozen', xSplit: 0, ySplit: NOTES_ROW, topLeftCell: `A${FIRST_DATA_ROW}` }],
  });

  sheet.columns = BINDING_COLUMNS.map((c) => ({
    key: c.key,
    width: c.width,
    // Text format keeps Excel from turning mobiles into 1.39E+10 or dropping leading zeros of codes.
    style: { numFmt: '@' },
  }));

  const header = sheet.getRow(HEADER_ROW);
  const notes = sheet.getRow(NOTES_ROW);
  BINDING_COLUMNS.forEach((c, i) => {
    const h = header.getCell(i + 1);
    h.value = c.header;
    h.font = { bold: true, color: { argb: c.required ? 'FFC00000' : 'FF000000' } };
    h.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
    h.alignment = { vertical: 'middle', horizontal: 'center' };
    const n = notes.getCell(i + 1);
    n.value = c.note;
    n.font = { italic: true, color: { argb: 'FF7F7F7F' }, size: 9 };
    n.alignment = { wrapText: true, vertical: 'top' };
  });
  header.height = 22;
  notes.height = 48;

  rows.forEach((values, r) => {
    const row = sheet.getRow(FIRST_DATA_ROW + r);
    BINDING_COLUMNS.forEach((c, i) => {
      const cell = row.getCell(i + 1);
      cell.value = values[c.key];
      cell.numFmt = '@';
    });
  });

  const lastRow = FIRST_DATA_ROW + MAX_DATA_ROWS - 1;
  BINDING_COLUMNS.forEach((c, i) => {
    if (c.kind !== 'mobile') return;
    const first = `${columnLetter(i)}${FIRST_DATA_ROW}`;
    (sheet as unknown as { dataValidations: RangeValidations }).dataValidations.add(
      `${first}:${columnLetter(i)}${lastRow}`,
      {
        type: 'custom',
        allowBlank: true,
        formulae: [`OR(${first}="",AND(LEN(${first})=11,LEFT(${first},1)="1",ISNUMBER(--${first})))`],
        showInputMessage: true,
        promptTitle: c.header,
        prompt: '请填写 11 位中国大陆手机号，例如 13911110001',
        showErrorMessage: true,
        errorStyle: 'warning',
        errorTitle: '手机号格式不正确',
        error: '手机号应为 1 开头的 11 位数字',
      },
    );
  });

  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The empty binding template offered for download (and committed under templates/). */
export function buildBindingTemplate(): Promise<Buffer> {
  return writeBindingWorkbook([], TEMPLATE_DATE);
}
