/**
 * Unit-test harness for IAM and STS: createIam over a MemoryStore (pass the same store to
 * re-create the services as after a restart) and `call(service, action, params, asKey)` through
 * the handlers with the real query parameter codec, acting as the principal behind an access key
 * (default: the root key `test`).
 */
import assert from 'node:assert/strict';
import { MemoryStore } from '../../../storage/memory/memory-store.js';
import { FakeClock } from '../../../util/clock.js';
import { queryParams } from '../../core/query-params.js';
import { storeBackedState } from '../../core/state.js';
import { isAwsError, type AwsRequestContext, type XmlObject, type XmlValue } from '../../core/types.js';
import type { WebIdentityVerifier } from '../sts/directory.js';
import { createIam, type Iam } from './iam.js';

export const ACCOUNT = '000000000000';
export const ROOT_KEY = 'test';

export interface IamHarness {
  iam: Iam;
  store: MemoryStore;
  clock: FakeClock;
  /** Calls an action as the principal of `asKey` (must resolve, Active or not). */
  call(service: 'iam' | 'sts', action: string, params?: Record<string, string>, asKey?: string): Promise<XmlObject>;
  /** Calls with an explicit request context (e.g. the anonymous caller). */
  callCtx(service: 'iam' | 'sts', action: string, params: Record<string, string>, ctx: AwsRequestContext): Promise<XmlObject>;
}

export function ctxOf(iam: Iam, accessKeyId: string, operation = 'Test'): AwsRequestContext {
  const rec = iam.backend.lookup(accessKeyId);
  if (!rec) throw new Error(`unknown key ${accessKeyId}`);
  return { requestId: 'req-1', region: 'eu-west-1', caller: rec.principal, accessKeyId, service: 'iam', operation };
}

export async function iamHarness(opts: { store?: MemoryStore; clock?: FakeClock; verifier?: WebIdentityVerifier } = {}): Promise<IamHarness> {
  const store = opts.store ?? new MemoryStore();
  const clock = opts.clock ?? new FakeClock();
  const iam = await createIam({
    clock, state: storeBackedState(store), defaultAccountId: ACCOUNT, defaultRegion: 'ap-northeast-2',
    rootKeys: [{ accessKeyId: ROOT_KEY, secretAccessKey: 'test' }],
    ...(opts.verifier ? { verifyWebIdentityToken: opts.verifier } : {}),
  });
  const callCtx = async (service: 'iam' | 'sts', action: string, params: Record<string, string>, ctx: AwsRequestContext): Promise<XmlObject> => {
    const handler = iam[service].actions[action];
    if (!handler) throw new Error(`no action ${service}:${action}`);
    const out = await handler(queryParams(new Map(Object.entries(params)), 'query'), { ...ctx, operation: action, service });
    return out ?? {};
  };
  return {
    iam, store, clock, callCtx,
    call: (service, action, params = {}, asKey = ROOT_KEY) => callCtx(service, action, params, ctxOf(iam, asKey, action)),
  };
}

/** Asserts that `p` rejects with AwsError `code` (and `status`, and a message matching `message`). */
export async function rejectsAws(p: Promise<unknown>, code: string, status: number, message?: string | RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(isAwsError(e), `expected AwsError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    assert.equal(e.status, status);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    return true;
  });
}

/** Reads a nested member of a result: get(out, 'User', 'Arn'). */
export function get(v: XmlValue, ...path: string[]): XmlValue {
  let cur: XmlValue = v;
  for (const k of path) cur = (cur as XmlObject)[k];
  return cur;
}

export function str(v: XmlValue, ...path: string[]): string {
  const x = get(v, ...path);
  assert.equal(typeof x, 'string', `${path.join('.')} is not a string: ${String(x)}`);
  return x as string;
}

export const TRUST_ACCOUNT = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }],
});

export const TRUST_EKS = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'eks.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

export const ALLOW_ALL = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
