import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeMobile } from '../../src/lib/mobile.js';

test('mobiles are folded to 11 digits whatever the spacing, width or country code', () => {
  for (const raw of [
    '13911110008',
    '+86 139 1111 0008',
    '+86-139-1111-0008',
    '86 13911110008',
    '0086 139 1111 0008',
    '１３９１１１１０００８',
    '＋８６　１３９　１１１１　０００８',
    ' 139.1111.0008 ',
    '(+86) 139 1111 0008',
    13911110008,
    8613911110008,
  ]) {
    assert.equal(normalizeMobile(raw), '13911110008', String(raw));
  }
});

test('anything that is not a mainland mobile is null', () => {
  for (const raw of [
    '',
    '1391111000',
    '139111100081',
    '12911110008',
    '0571-88880000',
    '+1 139 1111 0008',
    '139x1111x0008',
    '13911110008 转 12',
    '=13911110008',
    '8613911110008x',
    13911110008.5,
    -13911110008,
    Number.NaN,
    null,
    undefined,
    true,
    new Date(),
    { mobile: '13911110008' },
    '1'.repeat(10_000),
  ]) {
    assert.equal(normalizeMobile(raw), null, String(raw).slice(0, 40));
  }
});

test('a number starting with 86 is only a country code when 11 valid digits follow', () => {
  assert.equal(normalizeMobile('8613911110008'), '13911110008');
  assert.equal(normalizeMobile('86139111100'), null);
});
