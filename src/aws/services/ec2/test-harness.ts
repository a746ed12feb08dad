/**
 * Unit-test harness for the EC2 service: a createEc2 over a MemoryStore (pass the same store to
 * re-create the service as after a restart) and `call(action, params)` through the handlers.
 */
import assert from 'node:assert/strict';
import { MemoryStore } from '../../../storage/memory/memory-store.js';
import { FakeClock } from '../../../util/clock.js';
import { storeBackedState } from '../../core/state.js';
import { AwsError, type AwsRequestContext, type XmlObject } from '../../core/types.js';
import { createEc2, type Ec2Module } from './ec2.js';
import { fakeParams } from './fake-params.js';

export const ACCOUNT = '111122223333';

export function ctxFor(region: string, accountId = ACCOUNT, operation = 'Test'): AwsRequestContext {
  return {
    requestId: 'req-1', region, accessKeyId: 'AKIATEST', service: 'ec2', operation,
    caller: { accountId, arn: `arn:aws:iam::${accountId}:root`, userId: accountId, type: 'root' },
  };
}

export interface Ec2Harness {
  ec2: Ec2Module;
  store: MemoryStore;
  clock: FakeClock;
  call(action: string, params?: Record<string, string | number | boolean>, opts?: { region?: string; accountId?: string }): Promise<XmlObject>;
}

export async function ec2Harness(opts: { store?: MemoryStore; clock?: FakeClock } = {}): Promise<Ec2Harness> {
  const store = opts.store ?? new MemoryStore();
  const clock = opts.clock ?? new FakeClock();
  const ec2 = await createEc2({ clock, state: storeBackedState(store), defaultAccountId: ACCOUNT, defaultRegion: 'ap-northeast-2' });
  return {
    ec2, store, clock,
    async call(action, params = {}, o = {}) {
      const handler = ec2.service.actions[action];
      if (!handler) throw new Error(`no action ${action}`);
      const out = await handler(fakeParams(params, 'ec2'), ctxFor(o.region ?? 'ap-northeast-2', o.accountId ?? ACCOUNT, action));
      return out ?? {};
    },
  };
}

/** The items of a list member of an XML result, typed loosely for assertions. */
export function items(x: XmlObject, key: string): XmlObject[] {
  return (x[key] ?? []) as XmlObject[];
}

/** Asserts an AwsError with this code, status 400 and (optionally) this message. */
export async function rejectsWith(p: Promise<unknown>, code: string, message?: string | RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof AwsError, String(e));
    assert.equal(e.code, code);
    assert.equal(e.status, 400);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    return true;
  });
}
