/** Tests for SharedInformerFactory: one informer per resource/selector, ref-counted start/stop. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiClient, ResourceRef } from './client.js';
import { FakeClock } from '../util/clock.js';
import { InformerLease, SharedInformerFactory, sharedInformersFor } from './shared-informers.js';

const PODS: ResourceRef = { group: '', version: 'v1', resource: 'pods', namespaced: true };
const NODES: ResourceRef = { group: '', version: 'v1', resource: 'nodes', namespaced: false };

function fakeClient(): { client: ApiClient; lists: number; aborts: number } {
  const st = { lists: 0, aborts: 0, client: undefined as unknown as ApiClient };
  st.client = {
    list: async () => { st.lists++; return { metadata: { resourceVersion: '5' }, items: [{ metadata: { name: 'p', namespace: 'd', resourceVersion: '5' } }] }; },
    watch: () => ({ abort: () => { st.aborts++; } }),
  } as unknown as ApiClient;
  return st;
}

test('informerFor returns one informer per resource, namespace and selector', () => {
  const f = new SharedInformerFactory({ client: fakeClient().client, clock: new FakeClock() });
  const a = f.informerFor({ ref: PODS });
  assert.equal(f.informerFor({ ref: PODS }), a);
  assert.notEqual(f.informerFor({ ref: PODS, namespace: 'x' }), a);
  assert.notEqual(f.informerFor({ ref: NODES }), a);
  assert.equal(f.size, 3);
});

test('shared informer lists once for many users and stops only when the last user stops', async () => {
  const st = fakeClient();
  const f = sharedInformersFor(st.client, new FakeClock());
  assert.equal(sharedInformersFor(st.client, new FakeClock()), f);
  const inf = f.informerFor({ ref: PODS });
  const seenA: string[] = []; const seenB: string[] = [];
  inf.addHandlers({ add: (o) => seenA.push(o.metadata.name as string) });
  inf.start(); inf.start();
  await inf.waitForSync();
  inf.addHandlers({ add: (o) => seenB.push(o.metadata.name as string) });
  assert.equal(st.lists, 1);
  assert.deepEqual(seenA, ['p']);
  assert.deepEqual(seenB, ['p']);
  inf.stop();
  assert.equal(st.aborts, 0);
  inf.stop();
  assert.equal(st.aborts, 1);
});

test('an InformerLease removes its handlers when it stops; the informer runs on for its other users', async () => {
  const st = fakeClient();
  const inf = new SharedInformerFactory({ client: st.client, clock: new FakeClock() }).informerFor({ ref: PODS });
  const controller: string[] = []; const addon: string[] = [];
  inf.addHandlers({ add: (o) => controller.push(o.metadata.name as string), delete: (o) => controller.push(`-${o.metadata.name}`) });
  inf.start();
  await inf.waitForSync();
  const lease = new InformerLease(inf);
  lease.addHandlers({ add: (o) => addon.push(o.metadata.name as string), delete: (o) => addon.push(`-${o.metadata.name}`) });
  lease.start();
  assert.deepEqual(addon, ['p'], 'a late user gets the cached objects');
  assert.equal(lease.get('d/p')?.metadata.name, 'p');
  lease.stop();
  assert.equal(st.aborts, 0, 'still watched for the controller');
  (inf as unknown as { emit(k: string, o: unknown): void }).emit('delete', { metadata: { name: 'p', namespace: 'd' } });
  assert.deepEqual(controller, ['p', '-p']);
  assert.deepEqual(addon, ['p'], 'the stopped lease saw nothing more');
});

test('every handler set gets the event when one of them throws; the error still surfaces', async () => {
  const st = fakeClient();
  const inf = new SharedInformerFactory({ client: st.client, clock: new FakeClock() }).informerFor({ ref: PODS });
  const seen: string[] = [];
  inf.addHandlers({ update: () => { throw new Error('boom'); } });
  inf.addHandlers({ update: (_o, n) => seen.push(n.metadata.name as string) });
  const o = { metadata: { name: 'q', namespace: 'd' } };
  assert.throws(() => (inf as unknown as { emit(k: string, o: unknown, old: unknown): void }).emit('update', o, o), /boom/);
  assert.deepEqual(seen, ['q']);
});
