import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalQuantity } from './quantity.js';

test('quantities already canonical are kept verbatim (ParseQuantity caches the string)', () => {
  for (const s of ['1Gi', '100Mi', '500m', '20Gi', '129e6', '1e3', '128974848', '250m', '3', '1Ki', '5Gi']) {
    assert.equal(canonicalQuantity(s), s);
  }
});

test('other quantities print in canonical form', () => {
  const cases: Array<[string, string]> = [
    ['1024Mi', '1Gi'], ['2048Ki', '2Mi'], ['8Gi', '8Gi'], ['512Mi', '512Mi'], ['2000m', '2'], ['1000', '1k'],
    ['0.5', '500m'], ['1.5Gi', '1536Mi'], ['0.5Ki', '512'], ['1.000', '1'], ['0.1m', '100u'], ['1.5e3', '1500'],
    ['0', '0'], ['0Gi', '0'], ['0.0', '0'], ['1500000', '1500k'], ['10G', '10G'], ['12000M', '12G'], ['-2000m', '-2'],
    ['0.0000000001', '1n'], ['1.1Ki', '1126400m'], ['0300m', '0300m'], // the fast path keeps the input verbatim, leading zero included
  ];
  for (const [input, want] of cases) assert.equal(canonicalQuantity(input), want, input);
});

test('invalid quantities are returned unchanged', () => {
  for (const s of ['abc', '1Gb', '1.2.3', '']) assert.equal(canonicalQuantity(s), s);
});
