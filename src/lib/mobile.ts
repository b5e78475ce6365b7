/**
 * Mainland China mobile numbers as people actually type them: "+86 139 1111 0008", "139-1111-0008",
 * full-width "１３９１１１１０００８", or a number cell 13911110008. Used wherever two systems' mobiles are
 * compared (auto-binding, the binding sheet), so both sides go through the same rule.
 */
const MOBILE = /^1[3-9]\d{9}$/;

/** Separators people put inside a number; anything else (letters, extensions) makes it "not a mobile". */
const SEPARATORS = /[\s\u00a0\u3000\-\u2010-\u2015\uff0d.()（）]/g;

const FULL_WIDTH_DIGIT = /[\uff10-\uff19]/g;

/** Longer input is not a phone number, and bounds the work done on hostile input. */
const MAX_INPUT_LENGTH = 40;

/** The 11-digit mainland mobile in `raw` (string or integer number), or null when it is not one. */
export function normalizeMobile(raw: unknown): string | null {
  let text: string;
  if (typeof raw === 'number') {
    if (!Number.isSafeInteger(raw) || raw <= 0) return null;
    text = String(raw);
  } else if (typeof raw === 'string') {
    if (raw.length > MAX_INPUT_LENGTH) return null;
    text = raw;
  } else {
    return null;
  }
  const compact = text
    .replace(FULL_WIDTH_DIGIT, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/\uff0b/g, '+')
    .replace(SEPARATORS, '');
  const match = /^(?:\+86|0086|86)?(\d{11})$/.exec(compact);
  const digits = match?.[1];
  return digits !== undefined && MOBILE.test(digits) ? digits : null;
}
