/**
 * Scheduler alone at 5,000 nodes (issue 4 target: >= 3,000 pods/s for plain pods, >= 300 pods/s
 * with topology spread or required anti-affinity). Drives the scheduler's core without HTTP:
 * queue pop → Algorithm.schedule (PreFilter/Filter/Score over the adaptive node sample) → assume
 * on the cache (the fake binder: the decision is recorded as the pod's node, as the scheduler
 * does before POST pods/binding). Nodes are m5.large-like (2 cpu, 8Gi, 110 pods) in 3 zones.
 *
 *   npm run bench scheduler        (builds, then runs dist/bench/scheduler.bench.js)
 *   node dist/bench/scheduler.bench.js --quick
 */
import { performance } from 'node:perf_hooks';
import type { KubeObject } from '../src/api/types.js';
import { SchedulerCache } from '../src/scheduler/cache.js';
import { DEFAULT_PLUGINS } from '../src/scheduler/plugins/index.js';
import { Algorithm } from '../src/scheduler/schedule-one.js';
import { SchedulingQueue } from '../src/scheduler/queue.js';
import { FakeClock } from '../src/util/clock.js';

const quick = process.argv.includes('--quick');
const NODES = 5000;
const ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c'];

function node(i: number): KubeObject {
  const name = `ip-10-0-${Math.floor(i / 250)}-${i % 250}.ec2.internal`;
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'node.kubernetes.io/instance-type': 'm5.large', 'topology.kubernetes.io/region': 'us-east-1', 'topology.kubernetes.io/zone': ZONES[i % 3] } },
    spec: {},
    status: { allocatable: { cpu: '1930m', memory: '7220184Ki', pods: '110', 'ephemeral-storage': '18242267955' } },
  };
}

type Kind = 'plain' | 'spread' | 'anti';

function pod(kind: Kind, i: number): KubeObject {
  const app = kind === 'plain' ? 'web' : `${kind}-${Math.floor(i / 1000)}`;
  const spec: Record<string, unknown> = { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] };
  if (kind === 'spread') {
    spec.topologySpreadConstraints = [
      { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app } } },
      { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app } } },
    ];
  }
  if (kind === 'anti') {
    spec.affinity = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app } } }] } };
  }
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: `${kind}-${i}`, namespace: 'default', uid: `${kind}-${i}`, labels: { app }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: app, uid: `rs-${app}`, controller: true }] },
    spec, status: { phase: 'Pending' },
  };
}

async function run(kind: Kind, count: number): Promise<number> {
  const cache = new SchedulerCache();
  for (let i = 0; i < NODES; i++) cache.setNode(node(i));
  const clock = new FakeClock();
  const queue = new SchedulingQueue({ clock });
  const algo = new Algorithm(DEFAULT_PLUGINS);
  const pods = new Map<string, KubeObject>();
  for (let i = 0; i < count; i++) { const p = pod(kind, i); const k = `default/${p.metadata.name}`; pods.set(k, p); queue.add(k); }
  let failed = 0;
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const k = await queue.pop();
    if (!k) break;
    const p = pods.get(k) as KubeObject;
    const d = algo.schedule(cache, k, p);
    if (d.ok) cache.updatePod(k, p, d.node); else { failed++; queue.failed(k, false); }
  }
  const secs = (performance.now() - start) / 1000;
  queue.close();
  const rate = count / secs;
  console.log(`| ${kind} | ${NODES.toLocaleString('en-US')} | ${count.toLocaleString('en-US')} | ${Math.round(rate).toLocaleString('en-US')} | ${failed} |`);
  return rate;
}

console.log('| pods | nodes | scheduled | pods/s | unschedulable |');
console.log('|---|---|---|---|---|');
const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const plan: Array<[Kind, number]> = [['plain', quick ? 3000 : 20000], ['spread', quick ? 1000 : 5000], ['anti', quick ? 1000 : 4000]];
for (const [kind, n] of plan) if (!only.length || only.includes(kind)) await run(kind, n);
