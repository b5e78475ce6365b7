import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inWindow, shanghaiMinutes } from '../../src/sync/schedule.js';

const at = (shanghai: string) => Date.parse(`2026-03-01T${shanghai}:00+08:00`);

test('daily windows are read in Asia/Shanghai, start inclusive, end exclusive', () => {
  assert.equal(shanghaiMinutes(at('00:30')), 30);
  const day = { start: '08:00', end: '20:00' };
  assert.equal(inWindow(day, at('07:59')), false);
  assert.equal(inWindow(day, at('08:00')), true);
  assert.equal(inWindow(day, at('19:59')), true);
  assert.equal(inWindow(day, at('20:00')), false);
  assert.equal(inWindow(null, at('03:00')), true);
});

test('a window may cross midnight', () => {
  const night = { start: '22:00', end: '06:00' };
  assert.equal(inWindow(night, at('23:00')), true);
  assert.equal(inWindow(night, at('05:59')), true);
  assert.equal(inWindow(night, at('12:00')), false);
});
