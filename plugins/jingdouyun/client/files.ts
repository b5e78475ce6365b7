import { IntegrationError } from '../../../src/lib/errors.js';
import { isRecord } from './parse.js';
import type { JdySession } from './transport.js';
import type { JdyAttachmentUrl } from './types.js';

/**
 * Attachment upload (§7): multipart part `file1`, ≤ 10 MB (checked before sending), 120 s timeout.
 * The URL goes into `attachments_url` (orders, outbounds) or `attachments_url_list` (receipts).
 */
export async function uploadAttachment(
  session: JdySession,
  content: Buffer,
  filename: string,
  contentType?: string,
): Promise<JdyAttachmentUrl> {
  const data = await session.upload('/jdy/v2/sys/attachment_upload', content, filename, contentType);
  const url = isRecord(data) ? data.file1 : undefined;
  if (typeof url !== 'string' || !url) {
    throw new IntegrationError({
      system: 'jdy',
      errorClass: 'unexpected',
      code: 'bad_answer',
      message: '金蝶精斗云 /jdy/v2/sys/attachment_upload: no file1 URL in the answer',
    });
  }
  return { url };
}
