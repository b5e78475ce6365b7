import { createCipheriv, createDecipheriv } from 'node:crypto';

/** Personal-data encryption of some account sets (contract §3.5): AES-256-CBC, PKCS7, Base64. */
const IV = Buffer.from('5e8y6w45ju8w9jq8', 'utf8');
const PERSONAL_FIELDS = new Set([
  'mobile',
  'phone',
  'addr',
  'address',
  'contact_address',
  'contact_phone',
  'bank_account',
  'id_number',
  'email',
  'invoice_phone',
]);
const BASE64_RE = /^[A-Za-z0-9+/]+={0,2}$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

export function encryptPersonal(plain: string, clientSecret: string): string {
  const cipher = createCipheriv('aes-256-cbc', Buffer.from(clientSecret, 'utf8'), IV);
  return Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]).toString('base64');
}

/**
 * The client rule of §3.5: ciphertext only when it looks like Base64 of whole blocks and decrypts
 * with valid padding to valid UTF-8; anything else is plaintext (a mobile number is not Base64 of
 * length ≥ 24, so plaintext account sets pass through unchanged).
 */
export function decryptPersonal(value: string, clientSecret: string): string {
  if (value.length < 24 || value.length % 4 !== 0 || !BASE64_RE.test(value)) return value;
  try {
    const decipher = createDecipheriv('aes-256-cbc', Buffer.from(clientSecret, 'utf8'), IV);
    const bytes = Buffer.concat([decipher.update(Buffer.from(value, 'base64')), decipher.final()]);
    return utf8.decode(bytes);
  } catch {
    return value;
  }
}

/** Decrypts the personal fields of a response at any depth; returns a new value. */
export function decryptPersonalFields(value: unknown, clientSecret: string): unknown {
  if (Array.isArray(value)) return value.map((v) => decryptPersonalFields(v, clientSecret));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] =
      PERSONAL_FIELDS.has(key) && typeof v === 'string' && v !== ''
        ? decryptPersonal(v, clientSecret)
        : decryptPersonalFields(v, clientSecret);
  }
  return out;
}
