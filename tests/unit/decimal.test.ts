import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonical, splitProportionally, toDecimal, fixed } from '../../src/lib/decimal.js';

test('canonical decimal text has no trailing zeros and 0 for zero', () => {
  assert.equal(canonical('12.500'), '12.5');
  assert.equal(canonical('3.0'), '3');
  assert.equal(canonical('-0.250'), '-0.25');
  assert.equal(canonical('0.000'), '0');
});

test('toDecimal accepts numbers and numeric strings, refuses garbage', () => {
  assert.equal(toDecimal('1.10').plus(toDecimal(2.2)).toString(), '3.3');
  assert.throws(() => toDecimal('1e5'));
  assert.throws(() => toDecimal('abc'));
});

test('proportional split adds up to the cent with the remainder on the last share', () => {
  const parts = splitProportionally('100.00', ['1', '1', '1']);
  assert.deepEqual(
    parts.map((p) => fixed(p, 2)),
    ['33.33', '33.33', '33.34'],
  );
  const odd = splitProportionally('0.05', ['30', '70']);
  assert.equal(odd.reduce((a, b) => a.plus(b)).toFixed(2), '0.05');
});
