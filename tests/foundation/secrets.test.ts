import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/lib/logger.js';
import { redact, redactUrl } from '../../src/lib/redact.js';
import { SecretBox } from '../../src/lib/secret-box.js';
import { startPlugin, type RunningPlugin } from '../../src/server.js';
import { freshDatabaseUri } from '../helpers/db.js';
import { testConfig } from '../helpers/config.js';

let plugin: RunningPlugin;
let logs = '';
const sink = new Writable({
  write(chunk: Buffer, _enc, done) {
    logs += chunk.toString();
    done();
  },
});

before(async () => {
  plugin = await startPlugin(testConfig({ MONGODB_URI: await freshDatabaseUri('secrets') }), {
    logger: createLogger('info', sink),
  });
});
after(() => plugin.stop());

test('a stored permanent code is not readable in the raw collection, and opens with the key', async () => {
  const code = 'PC_SUPER_SECRET_123456';
  const tenant = await plugin.ctx.repos.tenants.activate('FSCID_X', '测试企业', code, new Date());
  const raw = JSON.stringify(await plugin.ctx.conn.db!.collection('tenants').find({}).toArray());
  assert.ok(!raw.includes(code), 'permanent code stored in clear text');
  assert.equal(plugin.ctx.repos.tenants.permanentCodeOf(tenant), code);
  assert.throws(() => new SecretBox(Buffer.alloc(32, 7)).open(tenant.permanentCode));
});

test('request logs carry no password, token or signature', async () => {
  await fetch(`${plugin.url}/healthz?access_token=TOKEN_ABC_123&codeSig=SIG_DEF_456`, {
    headers: { authorization: 'Bearer BEARER_789', cookie: 'sid=COOKIE_SECRET_1' },
  });
  await fetch(`${plugin.url}/api/nowhere?password=PASS_IN_QUERY`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-csrf-token': 'CSRF_SECRET_2' },
    body: JSON.stringify({ mobile: '13800000000', password: 'PASS_IN_BODY' }),
  });
  plugin.ctx.logger.info(
    { request: redact({ password: 'PASS_LOGGED', nested: { appSecret: 'APPSEC' } }) },
    'x',
  );
  await new Promise((r) => setTimeout(r, 100));
  assert.ok(logs.length > 0, 'nothing was logged');
  for (const secret of [
    'TOKEN_ABC_123',
    'SIG_DEF_456',
    'BEARER_789',
    'COOKIE_SECRET_1',
    'PASS_IN_QUERY',
    'PASS_IN_BODY',
    'CSRF_SECRET_2',
    'PASS_LOGGED',
    'APPSEC',
  ]) {
    assert.ok(!logs.includes(secret), `${secret} appears in the logs`);
  }
});

test('redaction helpers mask secrets at any depth and in URLs', () => {
  assert.deepEqual(redact({ a: [{ client_secret: 's', ok: 1 }], 'app-token': 't', permanentCode: 'p' }), {
    a: [{ client_secret: '***', ok: 1 }],
    'app-token': '***',
    permanentCode: '***',
  });
  assert.equal(
    redactUrl('/auth/user/access_token?client_id=c&client_secret=s&username=1&password=p'),
    '/auth/user/access_token?client_id=c&client_secret=***&username=1&password=***',
  );
});
