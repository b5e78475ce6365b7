import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { ConfigError, loadConfig } from '../../src/config.js';
import { testEnv } from '../helpers/config.js';

function problemsOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.message;
  }
  assert.fail('configuration was accepted');
}

test('a valid environment gives a frozen, typed config', () => {
  const config = loadConfig(testEnv({ PORT: '4321', PUBLIC_URL: 'https://plugin.example.com/' }));
  assert.equal(config.port, 4321);
  assert.equal(config.publicUrl, 'https://plugin.example.com');
  assert.equal(config.secretKey.length, 32);
  assert.ok(Object.isFrozen(config) && Object.isFrozen(config.jdy));
});

test('a missing variable is named', () => {
  const env = testEnv();
  delete env.JDY_CLIENT_SECRET;
  assert.match(problemsOf(env), /JDY_CLIENT_SECRET/);
});

test('malformed variables are each named', () => {
  const message = problemsOf(
    testEnv({ PORT: 'eighty', SECRET_KEY: Buffer.from('short').toString('base64'), MONGODB_URI: 'http://x' }),
  );
  assert.match(message, /PORT/);
  assert.match(message, /SECRET_KEY/);
  assert.match(message, /MONGODB_URI/);
});

test('start-up stops with the variable named when the environment is wrong', () => {
  const env = { ...testEnv(), PATH: process.env.PATH ?? '' } as Record<string, string>;
  delete env.FX_TOKEN;
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env,
    encoding: 'utf8',
    timeout: 30000,
  });
  assert.equal(result.status, 78);
  assert.match(result.stderr, /FX_TOKEN/);
});
