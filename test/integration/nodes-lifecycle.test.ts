/**
 * Simulated kubelets on a fake clock: lease renewals every 10 s, node status heartbeats every
 * 5 minutes, and a crash-looping container (keks.dev/fail-after) with the kubelet's back-off.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestKeks, type TestKeks } from '../../src/testing/harness.js';
import { FakeClock } from '../../src/util/clock.js';
import type { ApiClient, ResourceRef } from '../../src/client/client.js';
import type { KubeObject } from '../../src/api/types.js';
import { eventually } from '../helpers/api.js';

const PODS: ResourceRef = { group: '', version: 'v1', resource: 'pods', namespaced: true };
const NODES: ResourceRef = { group: '', version: 'v1', resource: 'nodes', namespaced: false };
const LEASES: ResourceRef = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases', namespaced: true };

let k: TestKeks;
let client: ApiClient;
const clock = new FakeClock(Date.now());

/** Bounded polling (test/helpers/api.ts eventually). */
const waitFor = <T>(what: string, fn: () => Promise<T | undefined>, ms = 5000): Promise<T> => eventually(fn, what, ms, 20) as Promise<T>;

type CS = { restartCount: number; state: { running?: unknown; waiting?: { reason: string } } };
const containerOf = (p: KubeObject): CS | undefined => (p.status as { containerStatuses?: CS[] }).containerStatuses?.[0];

before(async () => {
  k = await startTestKeks({ store: 'memory', nodes: 1, clock });
  client = k.cluster.client;
  await waitFor('node', async () => ((await client.list(NODES, '')).items.length === 1 ? true : undefined));
});
after(async () => { await k?.stop(); });

test('the node lease is renewed every 10 s, node status every 5 minutes', async () => {
  const name = (await client.list(NODES, '')).items[0].metadata.name as string;
  const renew = async (): Promise<string> => ((await client.get(LEASES, 'kube-node-lease', name)).spec as { renewTime: string }).renewTime;
  const first = await waitFor('lease', renew);
  clock.step(10_000);
  const second = await waitFor('renewed lease', async () => { const r = await renew(); return r !== first ? r : undefined; });
  assert.ok(Date.parse(second) - Date.parse(first) >= 9000, `${first} → ${second}`);
  const heartbeat = async (): Promise<string> => ((await client.get(NODES, '', name)).status as { conditions: Array<{ type: string; lastHeartbeatTime: string }> }).conditions.find((c) => c.type === 'Ready')!.lastHeartbeatTime;
  const hb1 = await heartbeat();
  clock.step(60_000);
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(await heartbeat(), hb1, 'no status write within the report interval');
  clock.step(240_000);
  const hb2 = await waitFor('status heartbeat', async () => { const h = await heartbeat(); return h !== hb1 ? h : undefined; });
  assert.ok(Date.parse(hb2) > Date.parse(hb1));
});

test('fail-after: the container crashes, backs off 10 s then 20 s, and restarts', async () => {
  await client.create(PODS, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'crashy', annotations: { 'keks.dev/fail-after': '5s' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
  const get = (): Promise<KubeObject> => client.get(PODS, 'default', 'crashy');
  await waitFor('running', async () => (containerOf(await get())?.state.running ? true : undefined));
  clock.step(6000);
  await waitFor('first crash', async () => { const c = containerOf(await get()); return c?.state.waiting?.reason === 'CrashLoopBackOff' && c.restartCount === 1 ? true : undefined; });
  clock.step(11_000);
  await waitFor('restarted', async () => (containerOf(await get())?.state.running ? true : undefined));
  clock.step(6000);
  await waitFor('second crash', async () => (containerOf(await get())?.restartCount === 2 ? true : undefined));
  clock.step(11_000);
  await new Promise((r) => setTimeout(r, 150));
  assert.equal(containerOf(await get())?.state.waiting?.reason, 'CrashLoopBackOff', 'still backing off (20 s)');
  clock.step(10_000);
  await waitFor('restarted again', async () => (containerOf(await get())?.state.running ? true : undefined));
  const p = await get();
  assert.equal((p.status as { phase: string }).phase, 'Running');
});
