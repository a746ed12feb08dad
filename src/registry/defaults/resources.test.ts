import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultedQuantity, defaultResourceList } from './resources.js';

test('quantities come back rounded up to milli and canonical', () => {
  assert.equal(defaultedQuantity('0.5'), '500m');
  assert.equal(defaultedQuantity(1), '1');
  assert.equal(defaultedQuantity(0.25), '250m');
  assert.equal(defaultedQuantity('1.5Gi'), '1536Mi');
  assert.equal(defaultedQuantity('1024Mi'), '1Gi');
  assert.equal(defaultedQuantity('2000m'), '2');
  assert.equal(defaultedQuantity('0.0001'), '1m');
  assert.equal(defaultedQuantity('100n'), '1m');
  assert.equal(defaultedQuantity('1500u'), '2m');
  assert.equal(defaultedQuantity('128974848'), '128974848');
  assert.equal(defaultedQuantity('1G'), '1G');
  assert.equal(defaultedQuantity('500m'), '500m');
  assert.equal(defaultedQuantity('0'), '0');
  assert.equal(defaultedQuantity('abc'), undefined);
  assert.equal(defaultedQuantity(null), undefined);
});

test('defaultResourceList rewrites each parsable value in place', () => {
  const list: Record<string, unknown> = { cpu: 0.5, memory: '1.5Gi', 'example.com/gpu': 1, bad: '1x' };
  defaultResourceList(list);
  assert.deepEqual(list, { cpu: '500m', memory: '1536Mi', 'example.com/gpu': '1', bad: '1x' });
});
