import { randomBytes } from 'node:crypto';
import { loadConfig, type Config } from '../../src/config.js';
import { FX_APP, JDY_APP } from '../../src/demo/story.js';

/** A valid environment for tests, pointing at the given database and sandboxes. */
export function testEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    SECRET_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    JDY_BASE_URL: 'http://127.0.0.1:9',
    JDY_CLIENT_ID: JDY_APP.clientId,
    JDY_CLIENT_SECRET: JDY_APP.clientSecret,
    FX_BASE_URL: 'http://127.0.0.1:9',
    FX_APP_ID: FX_APP.appId,
    FX_APP_SECRET: FX_APP.appSecret,
    FX_TOKEN: FX_APP.token,
    FX_ENCODING_AES_KEY: FX_APP.encodingAesKey,
    JOB_POLL_MS: '200',
    // Agenda's job-alive check sleeps half the lock lifetime in a timer that stop() cannot clear;
    // a short lifetime lets a test process exit soon after the plugin stops (jobs touch per page).
    JOB_LOCK_LIFETIME_MS: '10000',
    ...overrides,
  };
}

export const testConfig = (overrides: Record<string, string> = {}): Config => loadConfig(testEnv(overrides));
