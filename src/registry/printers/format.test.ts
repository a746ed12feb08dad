import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  accessModes, formatLabelSelector, formatLabels, humanDuration, labelSelectorString, listWithMore, rfc3339, since,
} from './format.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

test('humanDuration follows apimachinery duration.HumanDuration', () => {
  const cases: Array<[number, string]> = [
    [-3 * S, '<invalid>'], [-1500, '0s'], [0, '0s'], [999, '0s'], [45 * S, '45s'], [119 * S, '119s'],
    [2 * M, '2m'], [5 * M + 30 * S, '5m30s'], [9 * M + 59 * S, '9m59s'], [10 * M + 30 * S, '10m'],
    [179 * M, '179m'], [3 * H, '3h'], [5 * H + 30 * M, '5h30m'], [7 * H + 59 * M, '7h59m'], [8 * H + 30 * M, '8h'],
    [47 * H, '47h'], [2 * D, '2d'], [3 * D + 5 * H, '3d5h'], [7 * D + 23 * H, '7d23h'], [8 * D + 5 * H, '8d'],
    [729 * D, '729d'], [730 * D, '2y'], [2 * 365 * D + 40 * D, '2y40d'], [8 * 365 * D + 40 * D, '8y'],
  ];
  for (const [ms, want] of cases) assert.equal(humanDuration(ms), want, `${ms}ms`);
});

test('since: <unknown> for missing or zero timestamps, <invalid> for the future', () => {
  const now = new Date('2024-06-01T12:00:00Z');
  assert.equal(since(undefined, now), '<unknown>');
  assert.equal(since('0001-01-01T00:00:00Z', now), '<unknown>');
  assert.equal(since('2024-06-01T11:55:00Z', now), '5m');
  assert.equal(since('2024-06-01T11:59:15.123456Z', now), '44s');
  assert.equal(since('2024-06-01T12:10:00Z', now), '<invalid>');
});

test('rfc3339 prints seconds precision in UTC', () => {
  assert.equal(rfc3339('2024-06-01T14:03:04+02:00'), '2024-06-01T12:03:04Z');
  assert.equal(rfc3339(undefined), '0001-01-01T00:00:00Z');
});

test('formatLabels sorts and falls back to <none>', () => {
  assert.equal(formatLabels({ tier: 'web', app: 'nginx' }), 'app=nginx,tier=web');
  assert.equal(formatLabels({}), '<none>');
  assert.equal(formatLabels(undefined), '<none>');
});

test('label selectors print as labels.Selector.String()', () => {
  const sel = {
    matchLabels: { app: 'web' },
    matchExpressions: [
      { key: 'tier', operator: 'In', values: ['frontend', 'backend'] },
      { key: 'canary', operator: 'DoesNotExist' },
      { key: 'env', operator: 'NotIn', values: ['dev'] },
      { key: 'zone', operator: 'Exists' },
    ],
  };
  assert.equal(labelSelectorString(sel), 'app=web,!canary,env notin (dev),tier in (backend,frontend),zone');
  assert.equal(labelSelectorString(undefined), '');
  assert.equal(formatLabelSelector({}), '<none>');
  assert.equal(formatLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Bogus' }] }), '<error>');
});

test('listWithMore and access modes', () => {
  assert.equal(listWithMore(['a', 'b', 'c'], true, 5, 3), 'a,b,c + 2 more...');
  assert.equal(listWithMore([], false, 0, 3), '<unset>');
  assert.equal(accessModes(['ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOnce']), 'RWO,RWX');
});
