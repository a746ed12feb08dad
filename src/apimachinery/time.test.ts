import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatMicroTime, formatTime, normalizeTime, parseTime } from './time.js';

test('formatTime renders metav1.Time (second precision, truncated, UTC Z)', () => {
  assert.equal(formatTime(Date.UTC(2024, 0, 2, 3, 4, 5, 999)), '2024-01-02T03:04:05Z');
  assert.equal(formatTime(new Date('2024-01-02T03:04:05.000Z')), '2024-01-02T03:04:05Z');
});

test('formatMicroTime renders metav1.MicroTime (6 fractional digits)', () => {
  assert.equal(formatMicroTime(Date.UTC(2024, 0, 2, 3, 4, 5, 0)), '2024-01-02T03:04:05.000000Z');
  assert.equal(formatMicroTime(Date.UTC(2024, 0, 2, 3, 4, 5, 123), 456), '2024-01-02T03:04:05.123456Z');
});

test('parseTime accepts RFC 3339 with offsets and fractions; rejects others', () => {
  assert.equal(parseTime('2024-01-02T03:04:05Z'), Date.UTC(2024, 0, 2, 3, 4, 5));
  assert.equal(parseTime('2024-01-02T05:04:05+02:00'), Date.UTC(2024, 0, 2, 3, 4, 5));
  assert.equal(parseTime('2024-01-02T03:04:05.123456Z'), Date.UTC(2024, 0, 2, 3, 4, 5, 123));
  assert.equal(parseTime('2024-01-02 03:04:05Z'), undefined);
  assert.equal(parseTime('yesterday'), undefined);
  assert.equal(normalizeTime('2024-01-02T05:04:05.9+02:00'), '2024-01-02T03:04:05Z');
});
