/**
 * The binding sheet's columns: the one definition the template, the importer and the exporter share,
 * so a header renamed here changes all three together.
 */
export type BindingColumnKey = 'jdyNumber' | 'jdyName' | 'jdyMobile' | 'crmMobile' | 'crmName';

/** `mobile` cells are normalised with normalizeMobile and get a data validation in the template. */
export type BindingColumnKind = 'text' | 'mobile';

export interface BindingColumn {
  readonly key: BindingColumnKey;
  /** The Chinese header in row 1; the importer finds columns by it, in any order. */
  readonly header: string;
  /** Column width in Excel character units. */
  readonly width: number;
  /** A value is required in every data row. */
  readonly required: boolean;
  /** The notes row (row 2) text; the importer recognises that row by it and skips it. */
  readonly note: string;
  readonly kind: BindingColumnKind;
}

export const BINDING_COLUMNS: readonly BindingColumn[] = [
  {
    key: 'jdyNumber',
    header: '精斗云职员编码',
    width: 18,
    required: true,
    kind: 'text',
    note: '必填。精斗云中职员的编码，每个职员只能出现一行',
  },
  {
    key: 'jdyName',
    header: '精斗云职员姓名',
    width: 16,
    required: false,
    kind: 'text',
    note: '选填，用于核对：填写时须与精斗云中的姓名一致',
  },
  {
    key: 'jdyMobile',
    header: '精斗云职员手机',
    width: 18,
    required: false,
    kind: 'mobile',
    note: '选填，用于核对：填写时须与精斗云中的手机号一致',
  },
  {
    key: 'crmMobile',
    header: '纷享员工手机',
    width: 18,
    required: false,
    kind: 'mobile',
    note: '与「纷享员工姓名」至少填一项；按手机号查找要绑定的纷享员工（优先）',
  },
  {
    key: 'crmName',
    header: '纷享员工姓名',
    width: 16,
    required: false,
    kind: 'text',
    note: '未填手机号时按姓名查找（须唯一）；两项都填时须为同一人',
  },
];

/** Row 1 holds the headers, row 2 the notes; data starts on row 3 (also what the template freezes). */
export const HEADER_ROW = 1;
export const NOTES_ROW = 2;
export const FIRST_DATA_ROW = 3;

/** The sheet limit the issue sets; the template's validations cover exactly this many data rows. */
export const MAX_DATA_ROWS = 5000;

export const SHEET_NAME = '员工绑定';

export function bindingColumn(key: BindingColumnKey): BindingColumn {
  const column = BINDING_COLUMNS.find((c) => c.key === key);
  if (!column) throw new Error(`unknown binding column ${key}`);
  return column;
}
