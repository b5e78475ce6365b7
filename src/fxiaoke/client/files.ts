import { fxError, fxUsageError } from './errors.js';
import type { Download, FxTenantAuth, FxTransport } from './transport.js';

/** What a file field holds (§10): upload first, then write the whole array. */
export interface FxFileEntry {
  filename: string;
  ext: string;
  path: string;
  size: number;
}

export interface FxUploaded {
  mediaId: string;
  npath: string;
  /** Ready for a file_attachment field. */
  entry: FxFileEntry;
}

const IMAGE_EXT = new Set(['jpg', 'jpeg', 'png', 'gif', 'bmp']);

/** Files (§10) and text messages to employees. */
export class FxFiles {
  constructor(
    private readonly transport: FxTransport,
    private readonly auth: FxTenantAuth,
  ) {}

  async upload(content: Buffer, filename: string): Promise<FxUploaded> {
    if (!filename) throw fxUsageError('上传文件需要文件名');
    const dot = filename.lastIndexOf('.');
    const ext = dot >= 0 ? filename.slice(dot + 1).toLowerCase() : '';
    const type = IMAGE_EXT.has(ext) ? 'image' : 'document';
    const res = await this.transport.upload(this.auth, type, filename, content);
    if (typeof res.mediaId !== 'string' || typeof res.npath !== 'string') {
      throw fxError({
        code: 'bad_answer',
        errorClass: 'unexpected',
        message: '纷享销客上传接口的应答不完整',
      });
    }
    return {
      mediaId: res.mediaId,
      npath: res.npath,
      entry: { filename, ext, path: res.npath, size: content.length },
    };
  }

  download(ref: { mediaId: string } | { npath: string }): Promise<Download> {
    return this.transport.download(this.auth, ref);
  }

  /** `/cgi/message/send`: a text to 1–100 employees (used to tell admins about sync failures). */
  async sendText(toUser: string[], content: string): Promise<string> {
    if (toUser.length < 1 || toUser.length > 100) throw fxUsageError('消息接收人需要 1–100 人');
    if (content.length < 1 || content.length > 2000) throw fxUsageError('消息内容需要 1–2000 个字符');
    const res = await this.transport.corp(
      this.auth,
      '/cgi/message/send',
      { toUser: [...new Set(toUser)], msgType: 'text', text: { content } },
      true,
    );
    return String(res.msgId ?? '');
  }
}
