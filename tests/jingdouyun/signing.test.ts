import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  appSignature,
  canonicalQuery,
  enc,
  signRequest,
  stringToSign,
} from '../../plugins/jingdouyun/signing.js';

const SECRET = '0123456789abcdef0123456789abcdef';
const VECTOR_A = 'ZDljMTI3NGIyNTE1MTRkYzlkNjc1MDNhYjUzMzgzNWMyY2M4YTdjMzdmNmM3YTVlNDkxMTkzNjdiOTFjNzUyZQ==';

test('vector A: app_signature', () => {
  assert.equal(appSignature('abc', 'abc123'), VECTOR_A);
});

test('vector B: token call signature and its string to sign', () => {
  const pairs = [
    ['app_key', 'abc'],
    ['app_signature', VECTOR_A],
  ] as const;
  const path = '/jdyconnector/app_management/kingdee_auth_token';
  assert.equal(
    stringToSign('GET', path, pairs, '4417', '1700000000000'),
    'GET\n%2Fjdyconnector%2Fapp_management%2Fkingdee_auth_token\n' +
      'app_key=abc&app_signature=ZDljMTI3NGIyNTE1MTRkYzlkNjc1MDNhYjUzMzgzNWMyY2M4YTdjMzdmNmM3YTVlNDkxMTkzNjdiOTFjNzUyZQ%253D%253D\n' +
      'x-api-nonce:4417\nx-api-timestamp:1700000000000\n',
  );
  assert.equal(
    signRequest(SECRET, 'GET', path, pairs, '4417', '1700000000000'),
    'ODlkZWIwMmZhNGE2ODUzMDkzOTVhYWRhYjhlYjJjYWYyNDY3YWJjMmM4M2YxMDhhNDRjNjAxMDQ3MTE5MWU2OA==',
  );
});

test('vector C: double-encoded query values, sorted keys', () => {
  const pairs = [
    ['page', '1'],
    ['page_size', '100'],
    ['search', '华东 A&B'],
    ['modify_start_time', '1700000000000'],
  ] as const;
  assert.equal(
    canonicalQuery(pairs),
    'modify_start_time=1700000000000&page=1&page_size=100&search=%25E5%258D%258E%25E4%25B8%259C%2520A%2526B',
  );
  assert.equal(
    signRequest(SECRET, 'GET', '/jdy/v2/bd/customer', pairs, '982451653', '1700000000123'),
    'OGRhNGM1MTI5NWU2YmI2OTAzYTUxZDUwNjFjYjgxM2E2MTU4OTQxMmViYmMxNmQzYzMyYzRkYmM3OGU3YjM2MQ==',
  );
});

test("strict RFC 3986 encoding escapes !'()* and spaces as %20", () => {
  assert.equal(enc("a b!'()*~"), 'a%20b%21%27%28%29%2A~');
});
