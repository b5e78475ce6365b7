/**
 * A deterministic generator of hostile API input from a seeded PRNG, so a failing case
 * is reproduced by its seed and index. Every value of NEVER_VALID is wrong for any sane schema
 * (huge, NUL-bearing, deeply nested, prototype keys), so a request carrying one must be refused.
 */
/** A seeded source of numbers in [0, 1) (tests/helpers/prng.ts). */
export type Rng = () => number;

export const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function nested(depth: number, leaf: Json, asArray: boolean): Json {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = asArray ? [v] : { a: v };
  return v;
}

/** Keys an attacker tries: prototype pollution, operator injection, odd characters. */
export const POISON_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  '$where',
  '$ne',
  'a.b',
  'x\u0000y',
  '😀',
  '‮admin',
  '',
] as const;

/** Keys the plugin's endpoints do read, so a value lands where the handler looks. */
const LIKELY_KEYS = [
  'mobile',
  'password',
  'loginId',
  'accountId',
  'confirm',
  'objects',
  'refetch',
  'crmUserId',
  'jdyEmpIds',
  'mode',
  'intervalMinutes',
  'window',
  'defaultOwnerId',
  'notifyUserIds',
  'autoAuditOrders',
  'limit',
  'page',
  'pageSize',
  'q',
  'object',
  'status',
  'from',
  'to',
] as const;

/** Wrong in any field of any endpoint: too long, NUL-bearing, too deep, or carrying prototype keys. */
export const NEVER_VALID: readonly Json[] = [
  'x'.repeat(100_000),
  '中'.repeat(40_000),
  '😀'.repeat(20_000),
  'abc\u0000def',
  '\u0000',
  nested(1000, 1, false),
  nested(1000, 'x', true),
  JSON.parse('{"__proto__":{"isAdmin":true,"polluted":1}}') as Json,
  { constructor: { prototype: { polluted: 1 } } },
  { prototype: { polluted: 1 } },
  Array.from({ length: 10_000 }, (_, i) => i),
];

/** Values of the wrong type or shape for most fields (some may be valid for a lenient one). */
const ODD: readonly Json[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  1e308,
  -1e308,
  '',
  ' ',
  '😀',
  '\u202e\ufeff',
  '\ud800',
  "' OR '1'='1",
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '%00',
  '{"$ne":null}',
  [],
  {},
  [{}],
  { $ne: null },
  { $gt: '' },
];

export const anyValue = (rng: Rng): Json => (rng() < 0.5 ? pick(rng, NEVER_VALID) : pick(rng, ODD));

/**
 * A JSON body no endpoint may accept: the wrong top-level type, or an object with a poison key or
 * a NEVER_VALID value among likely keys.
 */
export function hostileBody(rng: Rng): string {
  const shape = rng();
  if (shape < 0.25) {
    return JSON.stringify(
      pick<Json>(rng, [[], [{}], 'text', 42, true, nested(1000, {}, true), ['mobile', 'password']]),
    );
  }
  const body: Record<string, Json> = {};
  for (let n = 1 + Math.floor(rng() * 3); n > 0; n--) body[pick(rng, LIKELY_KEYS)] = anyValue(rng);
  if (shape < 0.7) {
    // A literal own "__proto__" key needs JSON text: an object literal would set the prototype.
    const key = pick(rng, POISON_KEYS);
    const text = JSON.stringify(body);
    const poison = `${JSON.stringify(key)}:${JSON.stringify(anyValue(rng))}`;
    return text === '{}' ? `{${poison}}` : `{${poison},${text.slice(1)}`;
  }
  body[pick(rng, LIKELY_KEYS)] = pick(rng, NEVER_VALID);
  return JSON.stringify(body);
}

/** A path segment that names nothing: odd characters, NUL, long, traversal, injection. */
export function hostileSegment(rng: Rng): string {
  return pick(rng, [
    () => encodeURIComponent('x'.repeat(4000)),
    () => encodeURIComponent('中😀'.repeat(500)),
    () => '%00',
    () => 'a%00b',
    () => '%',
    () => '%E0%A4%A',
    () => '%ED%A0%80',
    () => '__proto__',
    () => 'constructor',
    () => 'prototype',
    () => encodeURIComponent('{"$ne":null}'),
    () => encodeURIComponent("' OR 1=1 --"),
    () => '%2e%2e%2f%2e%2e%2fetc',
    () => encodeURIComponent(String(Math.floor(rng() * 1e9))),
    () => encodeURIComponent('‮\ufeff😀'),
    () => '-1',
    () => '1e308',
  ])();
}

/** A query string with at least one key no endpoint reads, plus odd values for the keys they do. */
export function hostileQuery(rng: Rng): string {
  const parts: string[] = [];
  for (let n = Math.floor(rng() * 3); n > 0; n--) {
    const value = pick(rng, [
      'x'.repeat(3000),
      '\u0000',
      '😀',
      '-1',
      '1e308',
      'NaN',
      '[]',
      '{"$gt":""}',
      '%',
      '2020-13-45',
    ]);
    parts.push(`${pick(rng, LIKELY_KEYS)}=${encodeURIComponent(value)}`);
  }
  const poison = pick(rng, [
    `${encodeURIComponent(pick(rng, POISON_KEYS) || 'zz')}=1`,
    'limit[$gt]=0',
    'q[]=a&q[]=b',
    'page=1&page=2',
    `${encodeURIComponent('键😀')}=%00`,
  ]);
  parts.splice(Math.floor(rng() * (parts.length + 1)), 0, poison);
  return parts.join('&');
}
