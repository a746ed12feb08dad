/**
 * Scale benchmark (issue 4 "Benchmarks"): keks runs as a separate child process
 * (bench/lib/keks-child.ts, simulated nodes from KEKS_BENCH_NODES) and this process drives it over
 * HTTPS. Phases, each against a fresh keks:
 *  - `fleet`  (a): N nodes (default 5,000 m5.xlarge) + P Running pods (default 150,000, as
 *    Deployments of 1,000 replicas), then keks's RSS and CPU over a steady window (default 30 s)
 *    with all node heartbeats live — once per store (memory, sqlite).
 *  - `e2e` (b, c, d): 1,000 nodes; a 10,000-replica Deployment until readyReplicas = 10,000
 *    (c), then 30,000 pods POSTed directly (64 in flight) while one watch on the namespace counts
 *    pods whose status.phase turns Running (b: pods/s created→Running; d: time to all Running).
 *
 *   npm run bench scale                      (every size × 0.1: a few minutes)
 *   npm run bench scale -- --full            (the sizes; long, and memory-bound today)
 *   node dist/bench/scale.bench.js [--phases fleet,e2e] [--stores memory,sqlite] [--cpu-prof DIR]
 *
 * Knobs (env): SCALE_FACTOR, FLEET_NODES, FLEET_PODS, STEADY_S, E2E_NODES, E2E_PODS,
 * DEPLOY_REPLICAS, CREATE_INFLIGHT. Every wait has a deadline; children die with this process.
 */
import https from 'node:https';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { type BenchStore, startKeksProcess, type KeksProcess, type Target } from './lib/keks-process.js';
import { nodeClient } from './lib/http-clients.js';
import { Admin } from './lib/admin.js';
import { machineNotes, sampleProc } from './lib/proc.js';
import { fmt, markdownTable } from './lib/stats.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
// A tenth of the targets by default (all of `npm run bench` stays in minutes; at full size the
// fleet phase outgrows a 4 GB heap today): --full or SCALE_FACTOR=1 for the sizes.
const F = Number(process.env.SCALE_FACTOR ?? (process.argv.includes('--full') ? 1 : 0.1));
const num = (env: string, full: number): number => Math.max(1, Math.round(Number(process.env[env] ?? full * F)));
const FLEET_NODES = num('FLEET_NODES', 5000);
const FLEET_PODS = num('FLEET_PODS', 150_000);
const STEADY_S = Number(process.env.STEADY_S ?? 30);
const E2E_NODES = num('E2E_NODES', 1000);
const E2E_PODS = num('E2E_PODS', 30_000);
const DEPLOY_REPLICAS = num('DEPLOY_REPLICAS', 10_000);
const INFLIGHT = Number(process.env.CREATE_INFLIGHT ?? 64);
const INSTANCE = process.env.SCALE_INSTANCE_TYPE ?? 'm5.xlarge'; // 58 pods per node
const PHASES = (arg('phases') ?? 'fleet,e2e').split(',');
const STORES = (arg('stores') ?? 'memory,sqlite').split(',') as BenchStore[];
const E2E_STORE = (arg('e2e-store') ?? 'sqlite') as BenchStore;
const CPU_PROF = arg('cpu-prof');
const NS = 'scale';

const load = (): string => loadavg().map((x) => x.toFixed(2)).join(' ');
const mb = (kb: number): number => kb / 1024;

async function startKeks(store: BenchStore, nodes: number): Promise<KeksProcess> {
  process.env.KEKS_BENCH_NODES = String(nodes);
  process.env.KEKS_BENCH_INSTANCE_TYPE = INSTANCE;
  const t0 = performance.now();
  const k = await startKeksProcess({ mode: 'token', store, cpuProfDir: CPU_PROF, startTimeoutMs: 300_000, nodeFlags: ['--max-old-space-size=4096'] });
  const admin = new Admin(k.target, 4);
  // Nodes are registered by the simulator after the banner: wait for all of them to be Ready.
  const deadline = Date.now() + 120_000 + nodes * 50;
  for (;;) {
    const r = await admin.json('GET', '/api/v1/nodes');
    const items = (r.json as { items?: Array<{ status?: { conditions?: Array<{ type: string; status: string }> } }> } | null)?.items ?? [];
    const ready = items.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;
    if (ready >= nodes) break;
    if (Date.now() > deadline) throw new Error(`only ${ready}/${nodes} nodes Ready`);
    await sleep(1000);
  }
  await admin.ensureNamespace(NS);
  admin.close();
  console.log(`  keks (${store}) with ${nodes} Ready nodes in ${fmt((performance.now() - t0) / 1000)} s`);
  return k;
}

function deployment(name: string, replicas: number): unknown {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: NS },
    spec: {
      replicas, selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } },
    },
  };
}

function podJson(name: string): string {
  return JSON.stringify({
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: NS, labels: { app: 'e2e' } },
    spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] },
  });
}

/** Sum of readyReplicas over the namespace's Deployments. */
async function readyReplicas(admin: Admin): Promise<number> {
  const r = await admin.json('GET', `/apis/apps/v1/namespaces/${NS}/deployments`);
  const items = (r.json as { items?: Array<{ status?: { readyReplicas?: number } }> } | null)?.items ?? [];
  return items.reduce((s, d) => s + (d.status?.readyReplicas ?? 0), 0);
}

/** Polls readyReplicas every 250 ms until `want`; returns seconds, or throws at the deadline. */
async function waitReady(admin: Admin, want: number, timeoutS: number, t0: number): Promise<number> {
  let last = -1;
  let lastLog = performance.now();
  for (;;) {
    const n = await readyReplicas(admin);
    if (n >= want) return (performance.now() - t0) / 1000;
    if (performance.now() - t0 > timeoutS * 1000) throw new Error(`only ${n}/${want} ready after ${timeoutS} s`);
    if (performance.now() - lastLog > 10_000 && n !== last) { console.log(`    … ${n}/${want} ready at ${fmt((performance.now() - t0) / 1000)} s (load ${load()})`); lastLog = performance.now(); last = n; }
    await sleep(250);
  }
}

async function listRV(admin: Admin, path: string): Promise<string> {
  const r = await admin.json('GET', `${path}?limit=1`);
  return (r.json as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
}

interface FleetResult { store: BenchStore; nodes: number; pods: number; fillS: number; rssMb: number; cpuPct: number; load: string }

async function fleet(store: BenchStore): Promise<FleetResult> {
  console.log(`\n### fleet: ${FLEET_NODES} nodes + ${FLEET_PODS} pods, store ${store} (load ${load()})`);
  const k = await startKeks(store, FLEET_NODES);
  try {
    const admin = new Admin(k.target, 8);
    const per = 1000;
    const t0 = performance.now();
    for (let i = 0, left = FLEET_PODS; left > 0; i++, left -= per) {
      const r = await admin.json('POST', `/apis/apps/v1/namespaces/${NS}/deployments`, deployment(`fleet-${i}`, Math.min(per, left)));
      if (r.status !== 201) throw new Error(`create deployment: ${r.status}`);
    }
    const fillS = await waitReady(admin, FLEET_PODS, 120 + FLEET_PODS / 50, t0);
    console.log(`  ${FLEET_PODS} pods Ready in ${fmt(fillS)} s (${fmt(FLEET_PODS / fillS)} pods/s); settling 10 s`);
    await sleep(10_000);
    const a = sampleProc(k.pid);
    const ta = performance.now();
    await sleep(STEADY_S * 1000);
    const b = sampleProc(k.pid);
    if (!a || !b) throw new Error('keks exited');
    const cpuPct = ((b.cpuS - a.cpuS) / ((performance.now() - ta) / 1000)) * 100;
    const res = { store, nodes: FLEET_NODES, pods: FLEET_PODS, fillS, rssMb: mb(b.rssKb), cpuPct, load: load() };
    console.log(`  steady ${STEADY_S} s: RSS ${fmt(res.rssMb)} MB, CPU ${fmt(cpuPct)} % of a core (load ${res.load})`);
    admin.close();
    return res;
  } finally {
    await k.stop();
  }
}

interface E2eResult { nodes: number; deployReplicas: number; deployReadyS: number; pods: number; createS: number; allRunningS: number; podsPerS: number; rssMb: number; load: string }

async function e2e(): Promise<E2eResult> {
  console.log(`\n### e2e: ${E2E_NODES} nodes, store ${E2E_STORE} (load ${load()})`);
  const k = await startKeks(E2E_STORE, E2E_NODES);
  try {
    const admin = new Admin(k.target, 4);
    // (c) one Deployment of DEPLOY_REPLICAS until all Ready.
    const t0 = performance.now();
    const r = await admin.json('POST', `/apis/apps/v1/namespaces/${NS}/deployments`, deployment('big', DEPLOY_REPLICAS));
    if (r.status !== 201) throw new Error(`create deployment: ${r.status}`);
    const deployReadyS = await waitReady(admin, DEPLOY_REPLICAS, 60 + DEPLOY_REPLICAS / 50, t0);
    console.log(`  (c) Deployment of ${DEPLOY_REPLICAS} all Ready in ${fmt(deployReadyS)} s (load ${load()})`);
    // (b, d) E2E_PODS direct creates, Running observed via one watch.
    const rv = await listRV(admin, `/api/v1/namespaces/${NS}/pods`);
    const timeoutS = 60 + E2E_PODS / 100;
    const t1 = performance.now();
    const running = waitNewRunning(k.target, rv, E2E_PODS, t1, timeoutS);
    const client = nodeClient(k.target, INFLIGHT);
    let next = 0;
    let failed = 0;
    await Promise.all(Array.from({ length: INFLIGHT }, async (_, c) => {
      while (next < E2E_PODS) {
        const i = next++;
        const res = await client.request(c, 'POST', `/api/v1/namespaces/${NS}/pods`, podJson(`p-${i}`));
        if (res.status !== 201) failed++;
      }
    }));
    const createS = (performance.now() - t1) / 1000;
    console.log(`  created ${E2E_PODS - failed}/${E2E_PODS} pods in ${fmt(createS)} s (${fmt(E2E_PODS / createS)}/s, load ${load()})`);
    client.close();
    const newRunning = await running;
    const s = sampleProc(k.pid);
    const res: E2eResult = { nodes: E2E_NODES, deployReplicas: DEPLOY_REPLICAS, deployReadyS, pods: E2E_PODS, createS, allRunningS: newRunning, podsPerS: E2E_PODS / newRunning, rssMb: mb(s?.rssKb ?? NaN), load: load() };
    console.log(`  (d) ${E2E_PODS} pods all Running in ${fmt(newRunning)} s → (b) ${fmt(res.podsPerS)} pods/s end to end (load ${res.load})`);
    admin.close();
    return res;
  } finally {
    await k.stop();
  }
}

/** A pods watch from `rv` counting distinct `p-*` pods seen Running; resolves with seconds since t0. */
function waitNewRunning(t: Target, rv: string, want: number, t0: number, timeoutS: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let seen = 0;
    const timer = setTimeout(() => { w.close(); reject(new Error(`only ${seen}/${want} pods Running after ${timeoutS} s`)); }, timeoutS * 1000);
    const progress = setInterval(() => console.log(`    … ${seen}/${want} Running at ${fmt((performance.now() - t0) / 1000)} s (load ${load()})`), 10_000);
    const w = watchFiltered(t, rv, 'p-', () => {
      seen++;
      if (seen >= want) { clearTimeout(timer); clearInterval(progress); w.close(); resolve((performance.now() - t0) / 1000); }
    });
  });
}

function watchFiltered(t: Target, rv: string, prefix: string, onNew: () => void): { close(): void } {
  const seen = new Set<string>();
  return watchRaw(t, rv, (name, phase) => {
    if (phase === 'Running' && name.startsWith(prefix) && !seen.has(name)) { seen.add(name); onNew(); }
  });
}

function watchRaw(t: Target, rv: string, onEvent: (name: string, phase: string | undefined) => void): { close(): void } {
  let buf = '';
  const req = https.request({
    host: t.host, port: t.port, ca: t.caPem, method: 'GET',
    path: `/api/v1/namespaces/${NS}/pods?watch=1&resourceVersion=${rv}`,
    headers: { Authorization: `Bearer ${t.token}`, Accept: 'application/json' },
  }, (res) => {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (!line) continue;
        const ev = JSON.parse(line) as { type: string; object: { metadata: { name: string }; status?: { phase?: string } } };
        if (ev.type !== 'DELETED') onEvent(ev.object.metadata.name, ev.object.status?.phase);
      }
    });
  });
  req.on('error', () => { /* closed by close() */ });
  req.end();
  return { close: () => req.destroy() };
}

async function main(): Promise<void> {
  console.log(`machine: ${machineNotes()}; factor ${F}; instance type ${INSTANCE}`);
  const fleetRows: FleetResult[] = [];
  const e2eRows: E2eResult[] = [];
  if (PHASES.includes('fleet')) for (const s of STORES) fleetRows.push(await fleet(s));
  if (PHASES.includes('e2e')) e2eRows.push(await e2e());
  if (fleetRows.length) {
    console.log('\n' + markdownTable(['store', 'nodes', 'Running pods', 'fill (s)', 'fill pods/s', 'RSS (MB)', `CPU % of a core (${STEADY_S} s)`, 'load after'],
      fleetRows.map((r) => [r.store, r.nodes, r.pods, r.fillS, r.pods / r.fillS, r.rssMb, r.cpuPct, r.load])));
  }
  if (e2eRows.length) {
    console.log('\n' + markdownTable(['nodes', 'Deployment replicas', 'all Ready (s)', 'direct pods', 'POST time (s)', 'all Running (s)', 'end-to-end pods/s', 'RSS (MB)', 'load after'],
      e2eRows.map((r) => [r.nodes, r.deployReplicas, r.deployReadyS, r.pods, r.createS, r.allRunningS, r.podsPerS, r.rssMb, r.load])));
  }
}

// SIGINT/SIGTERM: exit normally so keks-process's exit hook kills the keks child.
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => process.exit(130));

main().then(() => process.exit(0), (e: unknown) => {
  console.error(`scale bench failed: ${e instanceof Error ? e.stack : String(e)}`);
  process.exit(1);
});
