/** The current bindings as a sheet in the template's layout, so an export can be edited and re-imported. */
import { normalizeMobile } from '../../lib/mobile.js';
import { writeBindingWorkbook } from './template.js';

export interface ExportRow {
  readonly jdyNumber: string;
  readonly jdyName: string;
  readonly jdyMobile: string | null;
  readonly crmUserName: string;
  /** The bound CRM user's mobile; without it the row re-imports by name (which must then be unique). */
  readonly crmMobile: string | null;
}

export function buildBindingExport(bindings: readonly ExportRow[]): Promise<Buffer> {
  return writeBindingWorkbook(
    bindings.map((b) => ({
      jdyNumber: b.jdyNumber,
      jdyName: b.jdyName,
      // Only valid mobiles, normalised: anything else would make the re-import fail its cross-check.
      jdyMobile: normalizeMobile(b.jdyMobile),
      crmMobile: normalizeMobile(b.crmMobile),
      crmName: b.crmUserName,
    })),
  );
}
