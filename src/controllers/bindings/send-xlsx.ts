import type { Response } from 'express';

/** An xlsx download with its Chinese file name (RFC 5987, which every browser reads). */
export function sendXlsx(res: Response, filename: string, file: Buffer): void {
  res.setHeader('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  res.setHeader('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(filename)}`);
  res.send(file);
}
