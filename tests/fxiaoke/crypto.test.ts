import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  codeSignature,
  decryptPush,
  encryptPush,
  hookSignature,
  pushSignature,
  safeEqual,
} from '../../src/fxiaoke/crypto.js';

const KEY = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8';
const CONTENT =
  '4j/AuRx71kQlxVlzbpsMWLOdtN8H0lezHXqiC6AVXAr99Ws+MpzDm8LxAqroJQRAEJB55xC88RuAaNS8R1xpgb65tjgLNRpHrPn7A4QOHd4owIMY69tSrMizrJG+QHKe';
const MESSAGE = '{"type":"PermanentCode","content":"PC_test_0001"}';

test('install push worked example: content and sig (§2.2)', () => {
  const content = encryptPush(KEY, 'FSAID_TEST0001', MESSAGE, Buffer.from('0123456789abcdef', 'ascii'));
  assert.equal(content, CONTENT);
  assert.equal(
    pushSignature('sandboxToken123', '1735689600000', 'nonce123', content),
    '9a9bc7f35e8b3831cb69d40e98b2a216d305b926',
  );
  assert.deepEqual(decryptPush(KEY, CONTENT), { message: MESSAGE, appId: 'FSAID_TEST0001' });
});

test('decryptPush round-trips aligned and unicode messages and rejects malformation', () => {
  for (const msg of ['{"type":"Message","content":"你好"}', 'x'.repeat(12)]) {
    assert.deepEqual(decryptPush(KEY, encryptPush(KEY, 'APP', msg)), { message: msg, appId: 'APP' });
  }
  assert.throws(() => decryptPush(KEY, 'not base64!'));
  assert.throws(() => decryptPush(KEY, CONTENT.slice(0, 64)));
  assert.throws(() => decryptPush(KEY, Buffer.alloc(32).toString('base64')));
  assert.throws(() => decryptPush('short', CONTENT));
  const tampered = Buffer.from(CONTENT, 'base64');
  tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1;
  assert.throws(() => decryptPush(KEY, tampered.toString('base64')));
});

test('SSO codeSig example (§2.4)', () => {
  assert.equal(
    codeSignature('sandboxToken123', 'CODE0001', '1735689600000', 'abc123'),
    '501c3983c079d82629d2c93349341dfb10c90980',
  );
});

test('hook signature example (§9)', () => {
  const body =
    '{"event":"updated","objectApiName":"AccountObj","objectId":"67748580000000000000002a","tenant":"FSCID_0123456789ABCDEF0123456789ABCDEF","operatorId":"FSUID_00000000000000000000000000000001","timestamp":1735689600000,"eventId":"3f1c2a7e-8d4b-4c1a-9e2f-5b6a7c8d9e0f"}';
  const expected = '53b1208ef19732e6cb961465d6e166aad2764bb1370feddf7478f4db1a6a2030';
  assert.equal(hookSignature('hookSecret', '1735689600000', body), expected);
  assert.equal(hookSignature('hookSecret', '1735689600000', Buffer.from(body)), expected);
});

test('safeEqual', () => {
  assert.equal(safeEqual('abc', 'abc'), true);
  assert.equal(safeEqual('abc', 'abd'), false);
  assert.equal(safeEqual('abc', 'abcd'), false);
});
