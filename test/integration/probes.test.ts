/**
 * Probes on simulated kubelets with a fake clock: a liveness-failing pod is killed and restarted
 * again and again (restartCount climbs, Unhealthy/Killing events), and a readiness-failing pod
 * stays out of its Service's Endpoints while a healthy one is in.
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
const SERVICES: ResourceRef = { group: '', version: 'v1', resource: 'services', namespaced: true };
const ENDPOINTS: ResourceRef = { group: '', version: 'v1', resource: 'endpoints', namespaced: true };
const EVENTS: ResourceRef = { group: '', version: 'v1', resource: 'events', namespaced: true };

let k: TestKeks;
let client: ApiClient;
const clock = new FakeClock(Date.now());

const waitFor = <T>(what: string, fn: () => Promise<T | undefined>, ms = 5000): Promise<T> => eventually(fn, what, ms, 20) as Promise<T>;

type CS = { restartCount: number; ready: boolean; state: { running?: unknown; waiting?: { reason: string } }; lastState: { terminated?: { exitCode: number } } };
const containerOf = (p: KubeObject): CS | undefined => (p.status as { containerStatuses?: CS[] }).containerStatuses?.[0];

before(async () => {
  k = await startTestKeks({ store: 'memory', nodes: 1, clock });
  client = k.cluster.client;
  await waitFor('node', async () => ((await client.list(NODES, '')).items.length === 1 ? true : undefined));
});
after(async () => { await k?.stop(); });

test('liveness failing: killed after initialDelay + failureThreshold × period, restartCount climbs', async () => {
  await client.create(PODS, 'default', {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'unlive', annotations: { 'keks.dev/liveness': 'fail' } },
    spec: { containers: [{ name: 'web', image: 'nginx', livenessProbe: { httpGet: { path: '/healthz', port: 80 }, initialDelaySeconds: 2, periodSeconds: 5, failureThreshold: 2 } }] },
  });
  const get = (): Promise<KubeObject> => client.get(PODS, 'default', 'unlive');
  await waitFor('running', async () => (containerOf(await get())?.state.running ? true : undefined));
  clock.step(11_000);
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(containerOf(await get())?.restartCount, 0, 'alive until 12 s');
  clock.step(1000);
  const first = await waitFor('killed once', async () => { const c = containerOf(await get()); return c?.restartCount === 1 ? c : undefined; });
  assert.equal(first.lastState.terminated?.exitCode, 137);
  clock.step(10_000);
  await waitFor('restarted', async () => (containerOf(await get())?.state.running ? true : undefined));
  clock.step(12_000);
  await waitFor('killed twice', async () => (containerOf(await get())?.restartCount === 2 ? true : undefined));
  const events = await waitFor('events', async () => {
    const evs = (await client.list(EVENTS, 'default')).items.filter((e) => (e.involvedObject as { name: string }).name === 'unlive');
    return evs.some((e) => e.reason === 'Killing') ? evs : undefined;
  });
  const msg = (reason: string): string[] => events.filter((e) => e.reason === reason).map((e) => String(e.message));
  assert.deepEqual([...new Set(msg('Unhealthy'))], ['Liveness probe failed: HTTP probe failed with statuscode: 500']);
  assert.deepEqual([...new Set(msg('Killing'))], ['Container web failed liveness probe, will be restarted']);
});

test('readiness failing: the pod runs but stays out of the Service Endpoints', async () => {
  const probe = { readinessProbe: { tcpSocket: { port: 80 }, periodSeconds: 5, failureThreshold: 3 } };
  await client.create(SERVICES, 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
  for (const [name, ann] of [['good', {}], ['bad', { 'keks.dev/readiness': 'fail' }]] as const) {
    await client.create(PODS, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: 'web' }, annotations: ann }, spec: { containers: [{ name: 'web', image: 'nginx', ...probe }] } });
  }
  const ips = async (): Promise<{ ready: string[]; notReady: string[] }> => {
    const ep = await client.get(ENDPOINTS, 'default', 'web').catch(() => undefined);
    const subsets = (ep?.subsets as Array<{ addresses?: Array<{ targetRef: { name: string } }>; notReadyAddresses?: Array<{ targetRef: { name: string } }> }> | undefined) ?? [];
    return { ready: subsets.flatMap((s) => s.addresses ?? []).map((a) => a.targetRef.name), notReady: subsets.flatMap((s) => s.notReadyAddresses ?? []).map((a) => a.targetRef.name) };
  };
  await waitFor('good ready, bad not', async () => { const e = await ips(); return e.ready.join() === 'good' && e.notReady.join() === 'bad' ? true : undefined; });
  clock.step(16_000);
  const badIp = ((await client.get(PODS, 'default', 'bad')).status as { podIP: string }).podIP;
  await waitFor('Unhealthy event', async () => ((await client.list(EVENTS, 'default')).items.some((e) => e.reason === 'Unhealthy' && (e.involvedObject as { name: string }).name === 'bad'
    && e.message === `Readiness probe failed: dial tcp ${badIp}:80: connect: connection refused`) ? true : undefined));
  clock.step(60_000);
  await new Promise((r) => setTimeout(r, 100));
  const bad = await client.get(PODS, 'default', 'bad');
  assert.deepEqual([(bad.status as { phase: string }).phase, containerOf(bad)?.ready, containerOf(bad)?.restartCount], ['Running', false, 0]);
  assert.deepEqual(await ips(), { ready: ['good'], notReady: ['bad'] });
});
