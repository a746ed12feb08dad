/** Shared assertion for the EKS unit tests: a call rejects with an AwsError of a code (and message). */
import assert from 'node:assert/strict';
import { isAwsError } from '../../core/types.js';

export async function rejectsAws(fn: () => Promise<unknown>, code: string, message?: string | RegExp, status?: number): Promise<Record<string, unknown>> {
  try { await fn(); } catch (e) {
    assert.ok(isAwsError(e), `expected AwsError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    if (status !== undefined) assert.equal(e.status, status);
    return e.fields;
  }
  assert.fail(`expected ${code}`);
}
