/** Go time formats used by the protobuf codec (cases from Go's time/time_test.go and metav1 tests). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration, formatMicroTime, formatTime, parseDuration, parseTime, bytesToBase64, base64ToBytes } from './well-known.js';
import { ProtobufDecodeError } from './errors.js';

test('formatDuration matches Go time.Duration.String', () => {
  const cases: Array<[bigint, string]> = [
    [0n, '0s'], [1n, '1ns'], [1100n, '1.1µs'], [2_200_000n, '2.2ms'], [3_300_000_000n, '3.3s'],
    [245_000_000_000n, '4m5s'], [245_001_000_000n, '4m5.001s'], [18_367_001_000_000n, '5h6m7.001s'],
    [480_000_000_001n, '8m0.000000001s'], [9223372036854775807n, '2562047h47m16.854775807s'],
    [-9223372036854775808n, '-2562047h47m16.854775808s'], [600_000_000_000n, '10m0s'], [3_600_000_000_000n, '1h0m0s'],
  ];
  for (const [ns, want] of cases) assert.equal(formatDuration(ns), want, String(ns));
  assert.equal(formatDuration(1_500_000_000), '1.5s');
  assert.equal(formatDuration({ toNumber: () => 60_000_000_000 }), '1m0s');
});

test('parseDuration matches Go time.ParseDuration', () => {
  const cases: Array<[string, bigint]> = [
    ['0', 0n], ['5s', 5_000_000_000n], ['-5s', -5_000_000_000n], ['1.5h', 5_400_000_000_000n], ['1h2m3.5s', 3_723_500_000_000n],
    ['300ms', 300_000_000n], ['10µs', 10_000n], ['10us', 10_000n], ['.5s', 500_000_000n], ['1.s', 1_000_000_000n], ['3ns', 3n],
  ];
  for (const [text, want] of cases) assert.equal(parseDuration(text), want, text);
  for (const bad of ['', '1', '1x', 's', '.s', '-']) assert.throws(() => parseDuration(bad), ProtobufDecodeError, bad);
  assert.equal(formatDuration(parseDuration('1h2m3.5s')), '1h2m3.5s');
});

test('metav1.Time / MicroTime JSON forms', () => {
  assert.equal(formatTime(1704164645, 0), '2024-01-02T03:04:05Z');
  assert.equal(formatTime(1704164645, 999_999_999), '2024-01-02T03:04:05Z');
  assert.equal(formatMicroTime(1704164645, 123_456_789), '2024-01-02T03:04:05.123456Z');
  assert.equal(formatMicroTime(1704164645, 0), '2024-01-02T03:04:05.000000Z');
  assert.equal(formatTime(0, 0), '1970-01-01T00:00:00Z');
  assert.equal(formatTime(-1, 0), '1969-12-31T23:59:59Z');
  assert.throws(() => formatTime(1e15, 0), ProtobufDecodeError);
});

test('parseTime accepts RFC3339 with zone offsets and fractions', () => {
  assert.deepEqual(parseTime('2024-01-02T03:04:05Z'), { seconds: 1704164645, nanos: 0 });
  assert.deepEqual(parseTime('2024-01-02T05:04:05.5+02:00'), { seconds: 1704164645, nanos: 500_000_000 });
  assert.deepEqual(parseTime('0001-01-01T00:00:00Z'), { seconds: -62135596800, nanos: 0 });
  for (const bad of ['2024-01-02', '2024-01-02 03:04:05Z', 'yesterday']) assert.throws(() => parseTime(bad), ProtobufDecodeError, bad);
});

test('[]byte base64 is standard, padded, and validated on input', () => {
  assert.equal(bytesToBase64(Uint8Array.of(0xfb, 0xff)), '+/8=');
  assert.deepEqual([...base64ToBytes('+/8=')], [0xfb, 0xff]);
  assert.throws(() => base64ToBytes('a b'), ProtobufDecodeError);
});
