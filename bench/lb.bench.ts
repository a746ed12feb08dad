/**
 * Load balancer benchmark (issue 6): the emulated NLB's data path and endpoint propagation.
 *
 * 1. Proxy throughput: an echo Deployment (3 × k8s.gcr.io/echoserver, served by the process
 *    runtime) behind an NLB in IP mode; a load generator in a child process (C keep-alive
 *    connections, closed loop, T seconds) measures req/s and latency p50/p99 against the NLB's
 *    local listener and, in the same run, directly against one echo pod's server. Reported:
 *    the NLB's overhead = 1 − NLB req/s ÷ direct req/s (target ≤ 20%). Direct and NLB runs
 *    alternate (direct, NLB, direct, NLB…) so machine noise hits both alike.
 * 2. Endpoint propagation: a new pod of the Service; from the moment its Ready condition
 *    reaches the controller's watch to (a) its target turning healthy in ELBv2 and (b) the
 *    first request through the listener answered by it (a client polling on fresh
 *    connections). ELBv2 time scale 0 ("without realistic timing"); target ≤ 100 ms.
 *
 *   npm run bench lb
 *   node dist/bench/lb.bench.js [--quick] [--connections 16] [--seconds 5] [--rounds 3] [--pods 10] [--pipe]
 *
 * `--pipe` forces the NLB to pipe every connection (a second socket per connection) instead of
 * handing the accepted socket to the same-process pod server (the default data path).
 *
 * keks runs in this process (in-process cluster, memory store, 3 simulated nodes); bounded:
 * every wait has a timeout, the child is killed at the end.
 */
import http from 'node:http';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { startTestKeks } from '../src/testing/harness.js';
import { createElbv2 } from '../src/aws/services/elbv2/elbv2.js';
import { storeBackedState } from '../src/aws/core/state.js';
import { MemoryStore } from '../src/storage/memory/memory-store.js';
import { realClock } from '../src/util/clock.js';
import { startProcessRuntime } from '../src/addons/runtime/runtime.js';
import { startLoadBalancerController } from '../src/addons/load-balancer/index.js';
import { Informer } from '../src/client/informer.js';
import type { ResourceRef } from '../src/client/client.js';
import type { KubeObject } from '../src/api/types.js';
import { fmt, markdownTable, summarize } from './lib/stats.js';
import { machineNotes } from './lib/proc.js';

const argv = process.argv.slice(2);
const opt = (name: string, def: string): string => { const i = argv.indexOf(`--${name}`); return i >= 0 && argv[i + 1] ? argv[i + 1] : def; };
const quick = argv.includes('--quick');

interface LoadResult { requests: number; errors: number; seconds: number; latencies: number[] }

/** The load generator (child process): C keep-alive connections in a closed loop for S seconds. */
async function loadWorker(): Promise<void> {
  process.on('message', (m: { host: string; port: number; connections: number; seconds: number }) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: m.connections });
    const latencies: number[] = [];
    let errors = 0;
    const end = performance.now() + m.seconds * 1000;
    const one = (): Promise<void> => new Promise((resolve) => {
      const t0 = performance.now();
      const req = http.get({ host: m.host, port: m.port, path: '/', agent }, (res) => {
        res.resume();
        res.on('end', () => { latencies.push(performance.now() - t0); resolve(); });
      });
      req.on('error', () => { errors++; resolve(); });
    });
    const loop = async (): Promise<void> => { while (performance.now() < end) await one(); };
    const start = performance.now();
    void Promise.all(Array.from({ length: m.connections }, loop)).then(() => {
      agent.destroy();
      const r: LoadResult = { requests: latencies.length, errors, seconds: (performance.now() - start) / 1000, latencies };
      process.send?.(r, () => process.exit(0));
    });
  });
}

function runLoad(host: string, port: number, connections: number, seconds: number): Promise<LoadResult> {
  const child = fork(fileURLToPath(import.meta.url), ['--load-worker'], { stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => { child.kill('SIGKILL'); reject(new Error('load worker timed out')); }, (seconds + 30) * 1000);
    child.once('message', (r: LoadResult) => { clearTimeout(t); resolve(r); });
    child.once('exit', (code) => { if (code) { clearTimeout(t); reject(new Error(`load worker exited ${code}`)); } });
    child.send({ host, port, connections, seconds });
  });
}

async function until<T>(fn: () => T | undefined | false, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

function getHostname(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const req = http.get({ host, port, path: '/', agent: false, timeout: 1000 }, (res) => {
      let b = '';
      res.on('data', (c: Buffer) => { b += c.toString(); });
      res.on('end', () => resolve(/Hostname: (\S+)/.exec(b)?.[1] ?? ''));
    });
    req.on('error', () => resolve(''));
    req.on('timeout', () => req.destroy());
  });
}

const DEPLOYMENTS: ResourceRef = { group: 'apps', version: 'v1', resource: 'deployments', namespaced: true };
const SERVICES: ResourceRef = { group: '', version: 'v1', resource: 'services', namespaced: true };
const PODS: ResourceRef = { group: '', version: 'v1', resource: 'pods', namespaced: true };

async function main(): Promise<void> {
  const connections = Number(opt('connections', '16'));
  const seconds = Number(opt('seconds', quick ? '2' : '5'));
  const rounds = Number(opt('rounds', quick ? '2' : '3'));
  const newPods = Number(opt('pods', quick ? '5' : '10'));
  console.log(`machine: ${machineNotes()}`);
  const tk = await startTestKeks({ nodes: 3, store: 'memory' });
  const client = tk.cluster.client;
  const elbv2 = await createElbv2({ clock: realClock, state: storeBackedState(new MemoryStore()), defaultAccountId: '000000000000', defaultRegion: 'us-east-1', timing: { scale: 0 } });
  const runtime = startProcessRuntime({ client, clock: realClock });
  const pipe = argv.includes('--pipe');
  const lb = startLoadBalancerController({ client, clock: realClock, elbv2: elbv2.backend, region: 'us-east-1', clusterName: 'keks', resolvePod: (ip, p) => runtime.resolve(ip, p), socketHandoff: !pipe });
  try {
    await lb.ready;
    const labels = { app: 'echo' };
    await client.create(DEPLOYMENTS, 'default', {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'echo' },
      spec: { replicas: 3, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'echo', image: 'k8s.gcr.io/echoserver:1.10', ports: [{ containerPort: 8080 }] }] } } },
    });
    await client.create(SERVICES, 'default', {
      apiVersion: 'v1', kind: 'Service',
      metadata: { name: 'echo', annotations: { 'service.beta.kubernetes.io/aws-load-balancer-type': 'external', 'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip' } },
      spec: { type: 'LoadBalancer', selector: labels, ports: [{ port: 80, targetPort: 8080 }] },
    });
    const tgArn = await until(() => elbv2.backend.targetGroups()[0]?.arn, 'target group');
    await until(() => elbv2.backend.targetHealth(tgArn).filter((t) => t.state === 'healthy').length === 3, '3 healthy targets');
    const nlb = await until(() => lb.addresses()[0]?.local, 'listener');
    const [nlbHost, nlbPort] = nlb.split(':');
    const firstIp = elbv2.backend.targetHealth(tgArn)[0].id;
    const direct = await until(() => runtime.resolve(firstIp, 8080), 'echo pod server');

    // 1. Throughput, alternating direct and NLB.
    const rows: string[][] = [];
    const agg = { direct: [] as LoadResult[], nlb: [] as LoadResult[] };
    for (let r = 0; r < rounds; r++) {
      for (const [name, host, port] of [['direct', direct.host, direct.port], ['nlb', nlbHost, Number(nlbPort)]] as const) {
        const res = await runLoad(host, port, connections, seconds);
        agg[name].push(res);
        const s = summarize(res.latencies);
        rows.push([String(r + 1), name === 'nlb' ? 'NLB → 3 echo pods' : 'direct → 1 echo pod', fmt(res.requests / res.seconds), fmt(s.p50), fmt(s.p99), String(res.errors)]);
      }
    }
    console.log(`\n### Proxy throughput (${connections} keep-alive connections, ${seconds} s per run, ${rounds} rounds, NLB data path: ${pipe ? 'piping' : 'socket hand-off to same-process pods'})\n`);
    console.log(markdownTable(['round', 'path', 'req/s', 'p50 ms', 'p99 ms', 'errors'], rows));
    const rps = (l: LoadResult[]): number => l.reduce((a, x) => a + x.requests, 0) / l.reduce((a, x) => a + x.seconds, 0);
    const p99 = (l: LoadResult[]): number => summarize(l.flatMap((x) => x.latencies)).p99;
    const overhead = 1 - rps(agg.nlb) / rps(agg.direct);
    console.log(`\nall rounds: direct ${fmt(rps(agg.direct))} req/s p99 ${fmt(p99(agg.direct))} ms; NLB ${fmt(rps(agg.nlb))} req/s p99 ${fmt(p99(agg.nlb))} ms; overhead ${(overhead * 100).toFixed(1)}% (target ≤ 20%) → ${overhead <= 0.2 ? 'PASS' : 'FAIL'}`);

    // 2. Propagation: a new pod Ready → target healthy → first request answered by it.
    const readyAt = new Map<string, number>();
    const pods = new Informer({ client, ref: PODS, clock: realClock, namespace: 'default', labelSelector: 'app=echo' });
    const isReady = (p: KubeObject): boolean => ((p.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
    pods.addHandlers({ update: (_o, p) => { if (isReady(p) && !readyAt.has(p.metadata.name ?? '')) readyAt.set(p.metadata.name ?? '', performance.now()); } });
    pods.start();
    await pods.waitForSync();
    const healthyDelays: number[] = [];
    const trafficDelays: number[] = [];
    for (let i = 0; i < newPods; i++) {
      const name = `echo-extra-${i}`;
      await client.create(PODS, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels }, spec: { containers: [{ name: 'echo', image: 'k8s.gcr.io/echoserver:1.10', ports: [{ containerPort: 8080 }] }] } });
      const t0 = await until(() => readyAt.get(name), `${name} Ready`);
      const ip = await until(() => (pods.get(`default/${name}`)?.status as { podIP?: string } | undefined)?.podIP, 'pod IP');
      let healthyAt = 0;
      let trafficAt = 0;
      const deadline = performance.now() + 5000;
      while ((!healthyAt || !trafficAt) && performance.now() < deadline) {
        if (!healthyAt && elbv2.backend.targetHealth(tgArn).some((t) => t.id === ip && t.state === 'healthy')) healthyAt = performance.now();
        if (!trafficAt && (await getHostname(nlbHost, Number(nlbPort))) === name) trafficAt = performance.now();
      }
      if (healthyAt) healthyDelays.push(healthyAt - t0);
      if (trafficAt) trafficDelays.push(trafficAt - t0);
      await client.delete(PODS, 'default', name, { gracePeriodSeconds: 0 });
    }
    pods.stop();
    const h = summarize(healthyDelays);
    const t = summarize(trafficDelays);
    console.log(`\n### Endpoint propagation (${newPods} new pods, ELBv2 time scale 0)\n`);
    console.log(markdownTable(['from pod Ready (watch) to', 'n', 'p50 ms', 'max ms'], [
      ['target healthy in ELBv2', String(h.n), fmt(h.p50), fmt(h.max)],
      ['first request answered by the pod', String(t.n), fmt(t.p50), fmt(t.max)],
    ]));
    console.log(`\npropagation max ${fmt(t.max)} ms (target ≤ 100 ms) → ${t.n === newPods && t.max <= 100 ? 'PASS' : 'FAIL'}`);
  } finally {
    await lb.stop();
    await runtime.stop();
    elbv2.close();
    await tk.stop();
  }
}

if (argv.includes('--load-worker')) void loadWorker();
else main().then(() => process.exit(0), (e: unknown) => { console.error(e); process.exit(1); });
