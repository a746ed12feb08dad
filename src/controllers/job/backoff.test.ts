import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { nextBackoffRecord, remainingBackoffMs } from './backoff.js';

const T = Date.parse('2025-01-01T00:00:00Z');
function done(finishedAt: number): KubeObject {
  return { metadata: { name: 'p' }, status: { containerStatuses: [{ state: { terminated: { finishedAt: new Date(finishedAt).toISOString() } } }] } };
}

describe('job pod failure backoff (backoff_utils.go)', () => {
  it('10 s after one failure, doubling per consecutive failure, capped at 6 minutes', () => {
    const one = nextBackoffRecord(undefined, [], [done(T)], T);
    assert.equal(remainingBackoffMs(one, T), 10_000);
    assert.equal(remainingBackoffMs(one, T + 4_000), 6_000);
    assert.equal(remainingBackoffMs(one, T + 10_000), 0);
    const three = nextBackoffRecord(one, [], [done(T + 1000), done(T + 2000)], T + 2000);
    assert.equal(three.failuresAfterLastSuccess, 3);
    assert.equal(remainingBackoffMs(three, T + 2000), 40_000);
    const many = { failuresAfterLastSuccess: 12, lastFailureTime: T };
    assert.equal(remainingBackoffMs(many, T), 360_000);
  });

  it('a success after the last failure resets it; failures after the success still count', () => {
    const one = nextBackoffRecord(undefined, [], [done(T)], T);
    assert.equal(remainingBackoffMs(nextBackoffRecord(one, [done(T + 1000)], [], T + 1000), T + 1000), 0);
    const mixed = nextBackoffRecord(one, [done(T + 1000)], [done(T + 2000)], T + 2000);
    assert.equal(mixed.failuresAfterLastSuccess, 1);
    assert.equal(mixed.lastFailureTime, T + 2000);
  });
});
