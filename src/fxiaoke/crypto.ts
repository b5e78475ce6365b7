/**
 * Pure crypto of the Fxiaoke contract (§2.2 install push, §2.4 SSO, §9 change events), shared by the sandbox
 * and the plugin so both sides sign and verify the same bytes.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';

const BLOCK = 32;
const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;

/** SHA-1 over the parts sorted by UTF-16 code unit (JS default sort) and joined with no separator. */
function sortedSha1(parts: string[]): string {
  return createHash('sha1')
    .update([...parts].sort().join(''), 'utf8')
    .digest('hex');
}

export function pushSignature(token: string, timeStamp: string, nonce: string, content: string): string {
  return sortedSha1([token, timeStamp, nonce, content]);
}

export function codeSignature(token: string, code: string, timestamp: string, nonce: string): string {
  return sortedSha1([token, code, timestamp, nonce]);
}

/** lower-hex HMAC-SHA256(secret, timestamp + "." + rawBody) over the raw bytes of the body. */
export function hookSignature(secret: string, timestamp: string, rawBody: string | Buffer): string {
  const mac = createHmac('sha256', secret);
  mac.update(`${timestamp}.`, 'utf8');
  mac.update(typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody);
  return mac.digest('hex');
}

/** Constant-time comparison of two strings (a length mismatch still returns in constant time per length). */
export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  if (ab.length !== bb.length) {
    timingSafeEqual(ab, ab);
    return false;
  }
  return timingSafeEqual(ab, bb);
}

/** K = base64(encodingAesKey + "="), which must be 43 characters decoding to 32 bytes. */
export function aesKeyOf(encodingAesKey: string): Buffer {
  if (encodingAesKey.length !== 43 || !BASE64_RE.test(encodingAesKey)) {
    throw new Error('encodingAesKey must be 43 base64 characters');
  }
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  if (key.length !== 32) throw new Error('encodingAesKey must decode to 32 bytes');
  return key;
}

/** R(16) ‖ L(4, BE) ‖ M ‖ appId, PKCS#7-padded to 32 bytes, AES-256-CBC with IV = K[0..16), base64. */
export function encryptPush(
  encodingAesKey: string,
  appId: string,
  messageJson: string,
  random16?: Buffer,
): string {
  const key = aesKeyOf(encodingAesKey);
  const random = random16 ?? randomBytes(16);
  if (random.length !== 16) throw new Error('random prefix must be 16 bytes');
  const message = Buffer.from(messageJson, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(message.length, 0);
  const plain = Buffer.concat([random, length, message, Buffer.from(appId, 'ascii')]);
  const n = BLOCK - (plain.length % BLOCK);
  const padded = Buffer.concat([plain, Buffer.alloc(n, n)]);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(padded), cipher.final()]).toString('base64');
}

/** Reverses encryptPush; throws on any malformation (base64, block size, padding, length, UTF-8). */
export function decryptPush(encodingAesKey: string, content: string): { message: string; appId: string } {
  const key = aesKeyOf(encodingAesKey);
  if (content.length === 0 || content.length % 4 !== 0 || !BASE64_RE.test(content)) {
    throw new Error('content is not base64');
  }
  const cipherText = Buffer.from(content, 'base64');
  if (cipherText.length === 0 || cipherText.length % 16 !== 0) throw new Error('bad ciphertext length');
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
  decipher.setAutoPadding(false);
  const plain = Buffer.concat([decipher.update(cipherText), decipher.final()]);
  const n = plain[plain.length - 1] ?? 0;
  if (n < 1 || n > BLOCK || n > plain.length) throw new Error('bad padding');
  for (let i = plain.length - n; i < plain.length; i++) {
    if (plain[i] !== n) throw new Error('bad padding');
  }
  const body = plain.subarray(0, plain.length - n);
  if (body.length < 20) throw new Error('plaintext too short');
  const length = body.readUInt32BE(16);
  if (20 + length > body.length) throw new Error('bad message length');
  const message = new TextDecoder('utf-8', { fatal: true }).decode(body.subarray(20, 20 + length));
  const appId = body.subarray(20 + length).toString('latin1');
  if (!/^[\x20-\x7e]*$/.test(appId)) throw new Error('appId is not ASCII');
  return { message, appId };
}
