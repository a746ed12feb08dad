import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalQuantity, compareQuantities, ERR_FORMAT_WRONG, ERR_SUFFIX, parseQuantity, quantityMilliValue, quantityValue } from './quantity.js';

test('canonical forms match resource.Quantity.String()', () => {
  const cases: Array<[string | number, string]> = [
    ['0', '0'], ['0.0', '0'], ['-0', '0'], ['1', '1'], ['0.5', '500m'], ['100m', '100m'], ['1000m', '1'], ['1500m', '1500m'],
    ['1.1', '1100m'], ['2000', '2k'], ['1024', '1024'], ['1Ki', '1Ki'], ['1024Mi', '1Gi'], ['1.5Gi', '1536Mi'],
    ['-1.5Gi', '-1536Mi'], ['0.5Ki', '512'], ['1.1Gi', '1181116006400m'], ['1e3', '1e3'], ['1E3', '1e3'], ['12e6', '12e6'],
    ['1.5e3', '1500'], ['0.1m', '100u'], ['1n', '1n'], ['0.0000000001', '1n'], ['5Mi', '5Mi'], ['128974848', '128974848'],
    ['129e6', '129e6'], ['129M', '129M'], ['123Mi', '123Mi'], ['+1k', '1k'], [1, '1'], [0.25, '250m'], ['.5', '500m'],
  ];
  for (const [input, want] of cases) assert.equal(canonicalQuantity(input), want, `canonical(${String(input)})`);
});

test('parse errors use upstream messages', () => {
  assert.equal(ERR_FORMAT_WRONG, "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
  for (const bad of ['', 'x', '1x', '1.2.3', '1 Gi', '1KB']) assert.throws(() => parseQuantity(bad), { message: ERR_FORMAT_WRONG }, bad);
  for (const bad of ['1i', '1Mi1', '1e', '1kk']) assert.throws(() => parseQuantity(bad), { message: ERR_SUFFIX }, bad);
});

test('comparisons and values are exact across suffixes', () => {
  assert.equal(compareQuantities(parseQuantity('1'), parseQuantity('1000m')), 0);
  assert.equal(compareQuantities(parseQuantity('500m'), parseQuantity('1')), -1);
  assert.equal(compareQuantities(parseQuantity('1Gi'), parseQuantity('1G')), 1);
  assert.equal(compareQuantities(parseQuantity('-1'), parseQuantity('0')), -1);
  assert.equal(quantityValue(parseQuantity('1.5')), 2n);
  assert.equal(quantityMilliValue(parseQuantity('1.5')), 1500n);
  assert.equal(quantityValue(parseQuantity('1Ki')), 1024n);
  assert.equal(canonicalQuantity('100Ei'), '9223372036854775807');
});
