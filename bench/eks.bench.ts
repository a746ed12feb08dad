/**
 * EKS front benchmarks (issue 5), in one keks process (memory store, no simulated nodes) driven
 * over real HTTP the way the aws CLI and kubectl drive it:
 *  - CreateCluster → ACTIVE → first successful `GET /api/v1/namespaces`: a SigV4-signed
 *    CreateCluster, DescribeCluster polled until ACTIVE (every 5 ms), then an HTTPS list of
 *    namespaces with an `aws eks get-token`-shaped bearer token (verified offline, mapped to the
 *    creator). Process start-up of the real CLIs (~0.3 s for aws, ~0.1 s for kubectl) is not
 *    counted: it is the same on real EKS. Target p99 ≤ 500 ms.
 *  - Memory per extra empty cluster: RSS and heap after GC before and after N clusters. Target
 *    ≤ 5 MB each, 50 clusters in one process.
 *  - Describe* latency: DescribeCluster, DescribeNodegroup, DescribeInstances,
 *    DescribeAutoScalingGroups, DescribeSubnets, signed, sequential over one keep-alive
 *    connection. Target p99 ≤ 5 ms.
 *
 *   npm run bench eks            (node --expose-gc dist/bench/eks.bench.js [--quick])
 */
import http from 'node:http';
import https from 'node:https';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startKeks } from '../src/main.js';
import { defaultConfig } from '../src/config/config.js';
import { silentLogger } from '../src/util/log.js';
import { signRequest } from '../src/aws/core/sigv4-sign.js';
import { issueEksToken } from '../src/auth/authn/eks/token-issuer.js';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { machineNotes } from './lib/proc.js';
import { fmt, markdownTable, summarize } from './lib/stats.js';

const quick = process.argv.includes('--quick');
const CLUSTERS = quick ? 10 : 50;
const DESCRIBES = quick ? 300 : 2000;
const REGION = 'us-east-1';
const CREDS = { accessKeyId: 'test', secretAccessKey: 'test' };
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

interface Reply { status: number; body: string }

function awsCall(endpoint: string, service: string, method: string, path: string, body?: string, contentType?: string): Promise<Reply> {
  const url = `${endpoint}${path}`;
  const headers: Record<string, string> = contentType ? { 'content-type': contentType } : {};
  const signed = signRequest({ method, url, headers, body, credentials: CREDS, region: REGION, service, nowMs: Date.now() });
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers: { ...headers, ...signed }, agent }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => { text += d; }).on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function kubeGet(endpoint: string, caPem: string, token: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = https.get(`${endpoint}${path}`, { ca: caPem, headers: { authorization: `Bearer ${token}` }, agent: false }, (res) => { res.resume(); resolve(res.statusCode ?? 0); });
    req.on('error', reject);
  });
}

function mem(): { rss: number; heap: number } {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.(); gc?.();
  const m = process.memoryUsage();
  return { rss: m.rss / 1048576, heap: m.heapUsed / 1048576 };
}

interface DescribeCall { name: string; service: string; method: string; path: string; body?: string; contentType?: string }

/** Child mode (`--client <json>`): times the Describe calls against a running keks, prints JSON. */
async function clientMode(spec: { endpoint: string; calls: DescribeCall[]; n: number }): Promise<void> {
  const out: Array<{ name: string; samples: number[] }> = [];
  for (const c of spec.calls) {
    const call = (): Promise<Reply> => awsCall(spec.endpoint, c.service, c.method, c.path, c.body, c.contentType);
    for (let i = 0; i < 100; i++) await call();
    const samples: number[] = [];
    for (let i = 0; i < spec.n; i++) {
      const t0 = performance.now();
      const r = await call();
      samples.push(performance.now() - t0);
      if (r.status !== 200) throw new Error(`${c.name}: ${r.status} ${r.body.slice(0, 200)}`);
    }
    out.push({ name: c.name, samples });
  }
  process.stdout.write(JSON.stringify(out));
}

/** Runs this file again as the load generator, so client work does not share the server's event loop. */
function describeFromChild(spec: { endpoint: string; calls: DescribeCall[]; n: number }): Promise<Array<{ name: string; samples: number[] }>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--client', JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { text += d; });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(text)) : reject(new Error(`describe client exited ${code}`))));
  });
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'keks-bench-eks-'));
  const config = { ...defaultConfig({}), dataDir, port: 0, awsPort: 0, store: 'memory' as const, kubeconfig: '', logLevel: 'silent' as const, nodes: 0 };
  const keks = await startKeks(config, { logger: silentLogger, selfManagedAddons: false, clusterAddons: false });
  const aws = keks.aws.endpoint.url;
  try {
    const subnets = JSON.parse((await awsCall(aws, 'eks', 'GET', '/clusters/keks')).body).cluster.resourcesVpcConfig.subnetIds as string[];
    const roleArn = 'arn:aws:iam::000000000000:role/eksClusterRole';

    // 1. CreateCluster → ACTIVE → first kubectl-equivalent list, and 2. memory per cluster.
    const before = mem();
    const phases: Array<{ create: number; active: number; firstGet: number; total: number }> = [];
    for (let i = 0; i < CLUSTERS; i++) {
      const name = `bench-${i}`;
      const t0 = performance.now();
      const created = await awsCall(aws, 'eks', 'POST', '/clusters', JSON.stringify({ name, roleArn, resourcesVpcConfig: { subnetIds: subnets }, bootstrapSelfManagedAddons: false }), 'application/json');
      if (created.status !== 200) throw new Error(`CreateCluster ${created.status}: ${created.body}`);
      const t1 = performance.now();
      let cluster: { status: string; endpoint: string; certificateAuthority: { data: string } };
      for (;;) {
        cluster = JSON.parse((await awsCall(aws, 'eks', 'GET', `/clusters/${name}`)).body).cluster;
        if (cluster.status === 'ACTIVE') break;
        await new Promise((r) => setTimeout(r, 5));
      }
      const t2 = performance.now();
      const token = issueEksToken({ clusterName: name, ...CREDS, region: REGION, now: Date.now() });
      const status = await kubeGet(cluster.endpoint, Buffer.from(cluster.certificateAuthority.data, 'base64').toString('utf8'), token, '/api/v1/namespaces');
      if (status !== 200) throw new Error(`GET namespaces on ${name}: ${status}`);
      const t3 = performance.now();
      phases.push({ create: t1 - t0, active: t2 - t1, firstGet: t3 - t2, total: t3 - t0 });
    }
    await new Promise((r) => setTimeout(r, 2000));
    const after = mem();
    const total = summarize(phases.map((p) => p.total));
    console.log(`\n${machineNotes()}\n`);
    console.log(`CreateCluster → ACTIVE → first GET /api/v1/namespaces with an EKS token (${CLUSTERS} clusters, ms):`);
    console.log(markdownTable(['phase', 'p50', 'p99', 'max'], [
      ['CreateCluster answered', fmt(summarize(phases.map((p) => p.create)).p50), fmt(summarize(phases.map((p) => p.create)).p99), fmt(summarize(phases.map((p) => p.create)).max)],
      ['→ DescribeCluster ACTIVE', fmt(summarize(phases.map((p) => p.active)).p50), fmt(summarize(phases.map((p) => p.active)).p99), fmt(summarize(phases.map((p) => p.active)).max)],
      ['→ first list of namespaces (new TLS connection)', fmt(summarize(phases.map((p) => p.firstGet)).p50), fmt(summarize(phases.map((p) => p.firstGet)).p99), fmt(summarize(phases.map((p) => p.firstGet)).max)],
      ['total (target p99 ≤ 500)', fmt(total.p50), fmt(total.p99), fmt(total.max)],
    ]));
    console.log(`\nMemory: ${CLUSTERS} extra empty clusters: RSS ${fmt(before.rss, 1)} → ${fmt(after.rss, 1)} MB, heap ${fmt(before.heap, 1)} → ${fmt(after.heap, 1)} MB;`
      + ` per cluster RSS ${fmt((after.rss - before.rss) / CLUSTERS)} MB, heap ${fmt((after.heap - before.heap) / CLUSTERS)} MB (target ≤ 5 MB)`);

    // 3. Describe* latency.
    const ngBody = JSON.stringify({ nodegroupName: 'ng', subnets, nodeRole: roleArn, scalingConfig: { minSize: 1, maxSize: 3, desiredSize: 2 } });
    const ng = await awsCall(aws, 'eks', 'POST', '/clusters/bench-0/node-groups', ngBody, 'application/json');
    if (ng.status !== 200) throw new Error(`CreateNodegroup ${ng.status}: ${ng.body}`);
    const form = (params: Record<string, string>): string => new URLSearchParams(params).toString();
    const FORM = 'application/x-www-form-urlencoded; charset=utf-8';
    const calls: DescribeCall[] = [
      { name: 'DescribeCluster', service: 'eks', method: 'GET', path: '/clusters/bench-0' },
      { name: 'DescribeNodegroup', service: 'eks', method: 'GET', path: '/clusters/bench-0/node-groups/ng' },
      { name: 'DescribeInstances (tag filter)', service: 'ec2', method: 'POST', path: '/', contentType: FORM,
        body: form({ Action: 'DescribeInstances', Version: '2016-11-15', 'Filter.1.Name': 'tag:eks:cluster-name', 'Filter.1.Value.1': 'bench-0' }) },
      { name: 'DescribeAutoScalingGroups', service: 'autoscaling', method: 'POST', path: '/', contentType: FORM, body: form({ Action: 'DescribeAutoScalingGroups', Version: '2011-01-01' }) },
      { name: 'DescribeSubnets', service: 'ec2', method: 'POST', path: '/', contentType: FORM, body: form({ Action: 'DescribeSubnets', Version: '2016-11-15' }) },
    ];
    const rows: Array<Array<string | number>> = [];
    for (const r of await describeFromChild({ endpoint: aws, calls, n: DESCRIBES })) {
      const s2 = summarize(r.samples);
      rows.push([r.name, r.samples.length, fmt(s2.p50), fmt(s2.p99), fmt(s2.max)]);
    }
    console.log(`\nAWS API latency (signed, one keep-alive connection from a separate client process, ms; target p99 ≤ 5):`);
    console.log(markdownTable(['call', 'n', 'p50', 'p99', 'max'], rows));
  } finally {
    agent.destroy();
    await keks.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const clientArg = process.argv.indexOf('--client');
(clientArg >= 0 ? clientMode(JSON.parse(process.argv[clientArg + 1]) as { endpoint: string; calls: DescribeCall[]; n: number }) : main())
  .then(() => process.exit(0), (e: unknown) => { console.error(e); process.exit(1); });
