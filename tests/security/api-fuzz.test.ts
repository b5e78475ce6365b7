/**
 * Hostile input at every /api route of the real plugin, the routes read from its Express router at
 * run time (so endpoints added later are fuzzed too): path params, JSON bodies and query strings
 * from a seeded generator. Every answer is below 500; every refusal is the uniform
 * {error: {code, message}} with a Chinese message and leaves every collection's count as it was;
 * input an endpoint reads and cannot accept is refused with a 4xx.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { FX_TENANTS } from '../../src/demo/story.js';
import { seeded } from '../helpers/prng.js';
import { hostileBody, hostileQuery, hostileSegment, pick, type Rng } from './fuzz.js';
import { apiRoutes, assertRefusal, startWorld, type Route, type Signed, type World } from './world.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20240611);

/** Routes that change the session itself; their own tests are in sessions.test.ts. */
const NOT_FUZZED = new Set(['POST /api/logout']);
/**
 * GET routes that take no query: unknown keys are ignored (cache busters), not refused. A new route
 * that ignores its query belongs here: the fuzz fails on it ("accepted") until it is listed.
 */
const IGNORES_QUERY = new Set([
  'GET /api/session',
  'GET /api/jdy/connection',
  'GET /api/jdy/employees',
  'GET /api/crm-users',
  'GET /api/bindings',
  'GET /api/bindings/template',
  'GET /api/bindings/export',
  'GET /api/presets',
  'GET /api/schedule',
  'GET /api/settings',
  'GET /api/overview',
  'GET /api/sync/runs/:runId',
  'GET /api/records/:id',
  'GET /api/crm-events/:id',
]);
/** State-changing routes whose input is the path alone (or nothing): a body is ignored. */
const IGNORES_BODY = new Set([
  'DELETE /api/bindings/:id',
  'POST /api/presets/:key/enable',
  'POST /api/crm-fields/check',
  'DELETE /api/records/:id/mapping',
]);

interface FuzzCase {
  route: Route;
  what: string;
  url: string;
  init: RequestInit;
  /** The input is read by the route and can never be valid: a 4xx is required. */
  mustRefuse: boolean;
}

let w: World;
let admin: Signed;

before(async () => {
  w = await startWorld('sec_fuzz');
  await w.install(FX_TENANTS.main.corpId);
  admin = await w.signIn();
});
after(() => w.stop());

/** Prototype pollution alone: refused even where every field is optional. */
const PROTOTYPE_BODIES = [
  '{"__proto__":{"polluted":1,"isAdmin":true}}',
  '{"constructor":{"prototype":{"polluted":1}}}',
  '{"prototype":{"polluted":1}}',
  '{"objects":[{"__proto__":{"polluted":1}}]}',
];
/** 100 000 levels of nesting, just under the 1 MB body limit. */
const DEEPEST = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;

const BENIGN_PARAM = 'a0000000000000000000000f';
const withParams = (path: string, segment: () => string) => path.replace(/:\w+/g, () => segment());

function casesOf(route: Route, rng: Rng): FuzzCase[] {
  const cases: FuzzCase[] = [];
  const isGet = route.method === 'GET';
  const headers = (json: boolean): Record<string, string> => ({
    ...(isGet ? {} : { 'x-csrf-token': admin.csrf }),
    ...(json ? { 'content-type': 'application/json' } : {}),
  });
  const benignPath = withParams(route.path, () => BENIGN_PARAM);
  const add = (what: string, url: string, init: RequestInit, mustRefuse: boolean) =>
    cases.push({ route, what, url, init: { method: route.method, ...init }, mustRefuse });

  if (route.path.includes(':')) {
    for (let i = 0; i < 6; i++) {
      const url = withParams(route.path, () => hostileSegment(rng));
      add(
        `params ${url.slice(0, 80)}`,
        url,
        { headers: headers(!isGet), ...(isGet ? {} : { body: '{}' }) },
        true,
      );
    }
  }
  if (isGet) {
    const reads = !IGNORES_QUERY.has(route.key);
    for (let i = 0; i < (reads ? 8 : 3); i++) {
      const query = hostileQuery(rng);
      add(`query ${query.slice(0, 80)}`, `${benignPath}?${query}`, { headers: headers(false) }, reads);
    }
    return cases;
  }
  const reads = !IGNORES_BODY.has(route.key);
  const bodies = [
    ...PROTOTYPE_BODIES,
    DEEPEST,
    ...Array.from({ length: reads ? 10 : 3 }, () => hostileBody(rng)),
  ];
  for (const body of bodies)
    add(`body ${body.slice(0, 80)}`, benignPath, { headers: headers(true), body }, reads);
  // Bodies that are not JSON, or none: never a crash (an all-optional body may be accepted).
  const odd: Array<[string, Record<string, string>, string | undefined]> = [
    ['no body', headers(false), undefined],
    ['text/plain', { ...headers(false), 'content-type': 'text/plain' }, pick(rng, ['{}', 'x', '\u0000'])],
    ['bad JSON', headers(true), pick(rng, ['{', '{"a":}', '\u0000', 'nul', '{"a":1}}'])],
    ['not gzip', { ...headers(true), 'content-encoding': 'gzip' }, '{}'],
    [
      'form',
      { ...headers(false), 'content-type': 'application/x-www-form-urlencoded' },
      'a=1&__proto__[x]=1',
    ],
  ];
  for (const [what, h, body] of odd)
    add(what, benignPath, { headers: h, ...(body === undefined ? {} : { body }) }, false);
  return cases;
}

test('every /api route refuses hostile input uniformly, never 5xx, writing nothing', async () => {
  const rng = seeded(SEED);
  const all = apiRoutes(w.plugin.ctx);
  assert.ok(all.length >= 15, `found ${all.length} /api routes`);
  const fuzzed = all.filter((r) => !NOT_FUZZED.has(r.key));
  const cases = fuzzed.flatMap((r) => casesOf(r, rng));
  assert.ok(cases.length >= 200, `only ${cases.length} cases`);

  const failures: string[] = [];
  const started = Date.now();
  const countsBefore = await w.counts();
  let total = await w.total();
  let changesAccepted = 0;
  for (const [i, c] of cases.entries()) {
    const a = await w.api(c.url, { ...c.init, cookie: admin.cookie });
    const label = `#${i} ${c.route.key} ${c.what} → ${a.status}`;
    if (a.status >= 500) failures.push(`${label} ${a.text.slice(0, 160)}`);
    else if (c.mustRefuse && a.status < 400) failures.push(`${label}: accepted`);
    if (a.status < 400 && c.route.method !== 'GET') changesAccepted++;
    const now = await w.total();
    if (a.status >= 400) {
      try {
        assertRefusal(a, label);
      } catch (e) {
        failures.push((e as Error).message.split('\n')[0]!);
      }
      if (now !== total) failures.push(`${label}: documents ${total} → ${now}`);
    }
    total = now;
  }
  assert.deepEqual(failures, [], `seed ${SEED}: ${failures.length} of ${cases.length} cases failed`);
  // Per collection too, when no state-changing request was accepted (an all-optional body may be).
  if (changesAccepted === 0) assert.deepEqual(await w.counts(), countsBefore);
  // Still signed in, and nothing leaked onto Object.prototype from a __proto__ key.
  assert.equal((await w.api('/api/session', { cookie: admin.cookie })).status, 200);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(({} as Record<string, unknown>).isAdmin, undefined);
  console.log(`fuzz: ${cases.length} cases over ${fuzzed.length} routes in ${Date.now() - started} ms`);
});

test('a __proto__ key is refused as an unknown parameter, not dropped on the way to the ERP', async () => {
  const body = '{"mobile":"13800000001","password":"x","__proto__":{"isAdmin":true}}';
  const a = await w.send(admin, 'POST', '/api/jdy/login', body);
  assert.equal(a.status, 400);
  assertRefusal(a, 'login with __proto__');
  assert.match(a.text, /不支持的参数 __proto__/);
});

test('the routes fuzzed are the ones the plugin serves (lists above name only real routes)', () => {
  const served = new Set(apiRoutes(w.plugin.ctx).map((r) => r.key));
  for (const key of [...NOT_FUZZED, ...IGNORES_QUERY, ...IGNORES_BODY])
    assert.ok(served.has(key), `${key} is not routed`);
});
