/** Files of §10: upload (multipart field `media`), download by mediaId or npath. */
import { fail, type Json } from './errors.js';
import { hex, type FileRec, type SandboxState, type Tenant } from './state.js';

const IMAGE_EXT = new Set(['jpg', 'jpeg', 'png', 'gif', 'bmp']);
const IMAGE_MAX = 5_242_880;
const DOC_MAX = 20_971_520;

export function extOf(filename: string): string {
  const dot = filename.lastIndexOf('.');
  return dot < 0 ? '' : filename.slice(dot + 1).toLowerCase();
}

function npathFor(st: SandboxState): string {
  const d = new Date(st.now() + 8 * 3600 * 1000);
  const ym = `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
  return `N_${ym}_${String(d.getUTCDate()).padStart(2, '0')}_${hex(16)}`;
}

export function storeFile(
  st: SandboxState,
  tenant: Tenant,
  filename: string,
  bytes: Buffer,
  type: 'image' | 'document',
): FileRec {
  const rec: FileRec = {
    mediaId: hex(16),
    npath: npathFor(st),
    filename,
    ext: extOf(filename),
    size: bytes.length,
    type,
    bytes,
  };
  tenant.files.set(rec.mediaId, rec);
  tenant.filesByNpath.set(rec.npath, rec);
  return rec;
}

export interface UploadInput {
  type: unknown;
  file: { filename: string; bytes: Buffer } | null;
  /** The part exceeded the parser's limit, so it is certainly too large. */
  tooLarge: boolean;
}

export function upload(st: SandboxState, tenant: Tenant, input: UploadInput): Json {
  const { type, file } = input;
  if (type !== 'image' && type !== 'document') return fail(10006, 'the parameter type is missing or illegal');
  if (!input.tooLarge && (!file || file.filename === ''))
    return fail(10006, 'the parameter media is missing or illegal');
  const size = input.tooLarge ? Infinity : (file?.bytes.length ?? 0);
  if (size === 0) fail(32008, '文件为空');
  if (type === 'image' && (size > IMAGE_MAX || !IMAGE_EXT.has(extOf(file?.filename ?? '')))) {
    fail(32008, '图片过大或格式不支持');
  }
  if (size > DOC_MAX) fail(32008, '文件过大');
  const rec = storeFile(
    st,
    tenant,
    (file as { filename: string }).filename,
    (file as { bytes: Buffer }).bytes,
    type,
  );
  return { mediaId: rec.mediaId, npath: rec.npath };
}

export function download(tenant: Tenant, body: Json): FileRec {
  const hasMedia = body.mediaId !== undefined;
  const hasPath = body.npath !== undefined;
  if (hasMedia === hasPath) return fail(10006, 'exactly one of mediaId and npath is required');
  const value = hasMedia ? body.mediaId : body.npath;
  if (typeof value !== 'string' || value === '')
    return fail(10006, 'the parameter mediaId or npath is missing or illegal');
  const rec = hasMedia ? tenant.files.get(value) : tenant.filesByNpath.get(value);
  return rec ?? fail(10007, 'MATERIAL_NOT_EXISTS');
}
