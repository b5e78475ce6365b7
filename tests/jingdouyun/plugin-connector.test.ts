import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import axios from 'axios';
import { jingdouyunPlugin } from '../../plugins/jingdouyun/index.js';
import { MemoryTokenStore } from '../../plugins/jingdouyun/client/index.js';
import { startJdySandbox, type RunningJdySandbox } from '../../plugins/jingdouyun/sandbox/index.js';
import { demoSeed } from '../../plugins/jingdouyun/sandbox/seed/demo.js';
import { isIntegrationError } from '../../src/lib/errors.js';
import { JDY_ACCOUNT_SETS, JDY_APP, JDY_DEMO_LOGIN, PEOPLE } from '../../src/demo/story.js';

let sandbox: RunningJdySandbox;
let plugin: ReturnType<typeof jingdouyunPlugin>;
const rotated: string[] = [];

before(async () => {
  sandbox = await startJdySandbox({ port: 0 });
  await axios.post(`${sandbox.url}/__sandbox/seed`, demoSeed());
  plugin = jingdouyunPlugin(
    {
      baseUrl: sandbox.url,
      clientId: JDY_APP.clientId,
      clientSecret: JDY_APP.clientSecret,
      rateLimitPerMinute: 480,
    },
    new MemoryTokenStore(),
    async (_accountId, secrets) => void rotated.push(secrets),
  );
});
after(() => sandbox.close());

test('the login format is checked before any call', () => {
  assert.equal(plugin.connector.checkLogin(JDY_DEMO_LOGIN.mobile), null);
  assert.match(plugin.connector.checkLogin('demo@example.com') ?? '', /手机号/);
});

test('login lists the account sets with their authorisation state', async () => {
  const login = await plugin.connector.login(JDY_DEMO_LOGIN.mobile, JDY_DEMO_LOGIN.password);
  const byId = new Map(login.accountSets.map((s) => [s.accountId, s]));
  assert.equal(byId.get(JDY_ACCOUNT_SETS.main.accountId)?.authorised, true);
  assert.equal(byId.get(JDY_ACCOUNT_SETS.trial.accountId)?.authorised, false);
  assert.ok(!login.state.includes(JDY_DEMO_LOGIN.password), 'the login state keeps the password');
});

test('connect works for the authorised account set and refuses the other with a way to fix it', async () => {
  const login = await plugin.connector.login(JDY_DEMO_LOGIN.mobile, JDY_DEMO_LOGIN.password);
  const conn = await plugin.connector.connect(login, JDY_ACCOUNT_SETS.main.accountId);
  assert.equal(conn.accountName, JDY_ACCOUNT_SETS.main.accountName);
  await assert.rejects(plugin.connector.connect(login, JDY_ACCOUNT_SETS.trial.accountId), (e: unknown) => {
    assert.ok(isIntegrationError(e));
    assert.equal(e.code, 9901000001);
    assert.match(e.message, /授权/);
    return true;
  });
});

test('employees are listed with their mobiles, and a rotated secret is handed back for storing', async () => {
  const login = await plugin.connector.login(JDY_DEMO_LOGIN.mobile, JDY_DEMO_LOGIN.password);
  const conn = await plugin.connector.connect(login, JDY_ACCOUNT_SETS.main.accountId);
  const employees = [];
  for await (const e of plugin.connector.employees(conn)) employees.push(e);
  const expected = PEOPLE.filter((p) => p.jdyMobile);
  assert.equal(employees.length, expected.length);
  assert.ok(employees.some((e) => e.mobile === '+86 139 1111 0008' && e.name === '周杰'));

  const appKey = (JSON.parse(conn.secrets) as { appKey: string }).appKey;
  await axios.post(`${sandbox.url}/__sandbox/authorizations/${appKey}/rotate_secret`, {
    app_secret: 'rotated-secret-0001',
  });
  await axios.post(`${sandbox.url}/__sandbox/tokens/expire`, { kind: 'app' });
  const fresh = { ...conn };
  const again = [];
  for await (const e of plugin.connector.employees(fresh)) again.push(e);
  assert.equal(again.length, expected.length);
  assert.ok(
    rotated.some((s) => s.includes('rotated-secret-0001')),
    'the new secret was not handed back',
  );
});
