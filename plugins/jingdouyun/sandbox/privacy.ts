import { createCipheriv } from 'node:crypto';

/** §3.5 personal fields, encrypted at any depth when the setting is on. */
const PERSONAL = new Set([
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
const IV = Buffer.from('5e8y6w45ju8w9jq8', 'utf8');

export function encryptField(value: string, clientSecret: string): string {
  const cipher = createCipheriv('aes-256-cbc', Buffer.from(clientSecret, 'utf8'), IV);
  return Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]).toString('base64');
}

export function encryptPersonal(value: unknown, clientSecret: string): unknown {
  if (Array.isArray(value)) return value.map((v) => encryptPersonal(v, clientSecret));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] =
      PERSONAL.has(k) && typeof v === 'string' && v !== ''
        ? encryptField(v, clientSecret)
        : encryptPersonal(v, clientSecret);
  }
  return out;
}
