/** Victim selection, PDB ordering and candidate picking (DefaultPreemption), plus the queue's priority order. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/types.js';
import { SchedulerCache } from './cache.js';
import { failedSchedulingMessage, fitErrorMessage } from './messages.js';
import { makePodInfo } from './node-info.js';
import { DEFAULT_PLUGINS } from './plugins/index.js';
import { eligibleToPreempt, pdbInfo, pickCandidate, preempt, selectVictimsOnNode, splitByPdb, type PdbInfo } from './preemption.js';
import { Algorithm } from './schedule-one.js';
import { SchedulingQueue } from './queue.js';
import { FakeClock } from '../util/clock.js';

function node(name: string, cpu = '1000m'): KubeObject {
  return { metadata: { name, labels: { 'kubernetes.io/hostname': name, 'topology.kubernetes.io/zone': 'z1' } }, spec: {}, status: { allocatable: { cpu, memory: '4Gi', pods: '10' } } };
}

function pod(name: string, cpu: string, priority: number, extra: { labels?: Record<string, string>; start?: string; policy?: string } = {}): KubeObject {
  return {
    metadata: { name, namespace: 'default', uid: `uid-${name}`, labels: extra.labels ?? { app: name } },
    spec: { priority, preemptionPolicy: extra.policy, containers: [{ name: 'c', image: 'x', resources: { requests: { cpu } } }] },
    status: { startTime: extra.start ?? '2026-01-01T00:00:00Z' },
  };
}

function setup(nodes: KubeObject[], placed: Array<[KubeObject, string]>): SchedulerCache {
  const c = new SchedulerCache();
  for (const n of nodes) c.setNode(n);
  for (const [p, n] of placed) c.updatePod(`default/${p.metadata.name as string}`, p, n);
  return c;
}

function decide(cache: SchedulerCache, p: KubeObject, pdbs: PdbInfo[] = []) {
  const algo = new Algorithm(DEFAULT_PLUGINS);
  const d = algo.schedule(cache, `default/${p.metadata.name as string}`, p);
  assert.equal(d.ok, false);
  if (d.ok) throw new Error('unreachable');
  return { d, r: preempt({ plugins: DEFAULT_PLUGINS, state: d.state, nodes: d.nodes, failures: d.failures, pdbs, offset: 0, fitError: fitErrorMessage }) };
}

const pdb = (app: string, allowed: number): PdbInfo => pdbInfo({ metadata: { name: app, namespace: 'default' }, spec: { selector: { matchLabels: { app } } }, status: { disruptionsAllowed: allowed } });

test('victims: the fewest, lowest-priority pods; higher-priority ones are reprieved', () => {
  const cache = setup([node('n1')], [[pod('low1', '300m', 1), 'n1'], [pod('low2', '300m', 2), 'n1'], [pod('mid', '300m', 50), 'n1'], [pod('vip', '100m', 1000), 'n1']]);
  const { d } = decide(cache, pod('hi', '400m', 100));
  const r = selectVictimsOnNode(DEFAULT_PLUGINS, d.state, cache.node('n1')!, []);
  assert.ok(r.ok);
  // 1000m − 100m (vip, higher priority: never a victim) leaves 900m; the pod needs 400m: two 300m pods must go.
  // Most important first are reprieved: mid (50) stays if possible — it is, once low1 and low2 are gone.
  assert.deepEqual(r.victims.map((v) => v.pod.metadata.name), ['low2', 'low1']);
  assert.equal(r.pdbViolations, 0);
});

test('victims: none with lower priority → "No preemption victims found"; still no fit → the filter reason', () => {
  const cache = setup([node('n1'), node('n2', '500m')], [[pod('a', '900m', 500), 'n1'], [pod('b', '100m', 1), 'n2']]);
  const { r } = decide(cache, pod('hi', '800m', 100));
  assert.equal(r.ok, false);
  if (!r.ok) assert.equal(r.message, '0/2 nodes are available: 1 Insufficient cpu, 1 No preemption victims found for incoming pod.');
});

test('PDB: violating pods are reprieved first; a node without violations wins', () => {
  const cache = setup([node('n1'), node('n2')], [[pod('guarded', '800m', 1, { labels: { app: 'db' } }), 'n1'], [pod('free', '800m', 1, { labels: { app: 'web' } }), 'n2']]);
  const { r } = decide(cache, pod('hi', '500m', 100), [pdb('db', 0)]);
  assert.ok(r.ok);
  if (r.ok) { assert.equal(r.candidate.node.name, 'n2'); assert.deepEqual(r.candidate.victims.map((v) => v.pod.metadata.name), ['free']); }
  // Only the guarded node: it is still chosen, counted as one violation.
  const only = setup([node('n1')], [[pod('guarded', '800m', 1, { labels: { app: 'db' } }), 'n1']]);
  const r2 = decide(only, pod('hi', '500m', 100), [pdb('db', 0)]).r;
  assert.ok(r2.ok);
  if (r2.ok) assert.equal(r2.candidate.pdbViolations, 1);
});

test('splitByPdb decrements the budget per matched pod and skips disrupted pods and empty selectors', () => {
  const pis = ['a', 'b', 'c'].map((n) => makePodInfo(`default/${n}`, pod(n, '1m', 0, { labels: { app: 'db' } })));
  const one = pdbInfo({ metadata: { name: 'p', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'db' } } }, status: { disruptionsAllowed: 1, disruptedPods: { b: '2026-01-01T00:00:00Z' } } });
  const r = splitByPdb(pis, [one]);
  assert.deepEqual(r.nonViolating.map((p) => p.pod.metadata.name), ['a', 'b']);
  assert.deepEqual(r.violating.map((p) => p.pod.metadata.name), ['c']);
  const empty = pdbInfo({ metadata: { name: 'e', namespace: 'default' }, spec: { selector: {} }, status: { disruptionsAllowed: 0 } });
  assert.equal(splitByPdb(pis, [empty]).violating.length, 0);
});

test('pickCandidate: fewer violations, then lower highest priority, lower sum, fewer victims, later start', () => {
  const pi = (n: string, prio: number, start = '2026-01-01T00:00:00Z') => makePodInfo(`default/${n}`, pod(n, '1m', prio, { start }));
  const N = (name: string) => new SchedulerCache().node(name) ?? ({ name } as never);
  const c = (name: string, victims: ReturnType<typeof pi>[], pdbViolations = 0) => ({ node: N(name), victims, pdbViolations });
  assert.equal(pickCandidate([c('a', [pi('x', 1)], 1), c('b', [pi('y', 5)])])?.node.name, 'b');
  assert.equal(pickCandidate([c('a', [pi('x', 5)]), c('b', [pi('y', 3), pi('z', 3)])])?.node.name, 'b');
  assert.equal(pickCandidate([c('a', [pi('x', 3), pi('w', 2)]), c('b', [pi('y', 3), pi('z', 1)])])?.node.name, 'b');
  assert.equal(pickCandidate([c('a', [pi('x', 3), pi('w', 1)]), c('b', [pi('y', 3)]), c('d', [pi('v', 3), pi('u', 1)])])?.node.name, 'b');
  assert.equal(pickCandidate([c('a', [pi('x', 3, '2026-01-01T00:00:00Z')]), c('b', [pi('y', 3, '2026-01-02T00:00:00Z')])])?.node.name, 'b');
});

test('eligibility: Never, and a terminating preemption victim on the nominated node', () => {
  const p = pod('hi', '1', 100, { policy: 'Never' });
  assert.equal(eligibleToPreempt(p, undefined, undefined, 100), 'not eligible due to preemptionPolicy=Never.');
  const victim = pod('v', '1', 1);
  victim.metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
  (victim.status as Record<string, unknown>).conditions = [{ type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler' }];
  const cache = setup([node('n1')], [[victim, 'n1']]);
  assert.equal(eligibleToPreempt(pod('hi', '1', 100), cache.node('n1'), { code: 'Unschedulable', reasons: ['Insufficient cpu'] }, 100), 'not eligible due to a terminating pod on the nominated node.');
  assert.equal(eligibleToPreempt(pod('hi', '1', 100), cache.node('n1'), undefined, 0), undefined);
  assert.equal(failedSchedulingMessage(1, [{ code: 'Unschedulable', reasons: ['Insufficient cpu'] }], 'preemption: not eligible due to preemptionPolicy=Never.'),
    '0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never..');
  assert.equal(failedSchedulingMessage(1, [{ code: 'Unschedulable', reasons: ['Insufficient cpu'] }], null), '0/1 nodes are available: 1 Insufficient cpu.');
});

test('nominated pods keep their room from lower-priority pods; the preemptor goes to its nominated node', () => {
  const cache = setup([node('n1'), node('n2')], [[pod('big', '900m', 0), 'n2']]);
  const hi = pod('hi', '800m', 100);
  const noms = { size: 1, on: (n: string) => (n === 'n1' ? [makePodInfo('default/hi', hi)] : undefined) };
  const algo = new Algorithm(DEFAULT_PLUGINS);
  const low = algo.schedule(cache, 'default/low', pod('low', '500m', 1), noms);
  assert.equal(low.ok, false);
  (hi.status as Record<string, unknown>).nominatedNodeName = 'n1';
  const d = algo.schedule(cache, 'default/hi', hi, noms);
  assert.ok(d.ok && d.node === 'n1');
});

test('queue pops higher priority first, FIFO within a priority', async () => {
  const q = new SchedulingQueue({ clock: new FakeClock() });
  q.add('a', 0); q.add('b', 10); q.add('c', 0); q.add('d', 10); q.add('e', 2000000000);
  q.delete('c');
  const got: string[] = [];
  for (let i = 0; i < 4; i++) got.push((await q.pop()) as string);
  assert.deepEqual(got, ['e', 'b', 'd', 'a']);
  q.close();
});
