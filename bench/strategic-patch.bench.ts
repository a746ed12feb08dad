/**
 * Strategic merge patch benchmark (API machinery target: >= 2,000 patches/s in-process on a
 * Deployment with 200 containers). Bodies are the shapes kubectl v1.32 sends:
 *   - `set image` of one container: `$setElementOrder/containers` listing all 200 + one item;
 *   - client-side `apply` re-apply deleting one container and its env var (`$patch: delete`);
 *   - `rollout restart` (a template annotation);
 *   - `set env` on the last container (nested `$setElementOrder/env`).
 *
 *   npm run bench strategic-patch        (builds, then runs dist/bench/strategic-patch.bench.js)
 *   node dist/bench/strategic-patch.bench.js --quick
 */
import { opsRate } from './lib/ops-rate.js';
import { applyStrategicMergePatch } from '../src/apimachinery/patch/strategic.js';

const quick = process.argv.includes('--quick');
const SECONDS = quick ? 0.5 : 2;
const N = 200;

function container(i: number): Record<string, unknown> {
  return {
    name: `c${i}`, image: `registry.example.com/app-${i}:1.0.${i}`, imagePullPolicy: 'IfNotPresent',
    args: ['--port', String(8000 + i)], env: [{ name: 'A', value: '1' }, { name: 'B', value: String(i) }],
    ports: [{ containerPort: 8000 + i, name: 'http', protocol: 'TCP' }],
    resources: { limits: { cpu: '100m', memory: '64Mi' }, requests: { cpu: '10m', memory: '16Mi' } },
    terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File',
  };
}

const live = {
  apiVersion: 'apps/v1', kind: 'Deployment',
  metadata: { name: 'big', namespace: 'default', uid: 'u', resourceVersion: '42', generation: 3, labels: { app: 'big' }, annotations: { 'deployment.kubernetes.io/revision': '3' } },
  spec: {
    replicas: 3, selector: { matchLabels: { app: 'big' } }, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    template: { metadata: { labels: { app: 'big' } }, spec: { containers: Array.from({ length: N }, (_, i) => container(i)), restartPolicy: 'Always', dnsPolicy: 'ClusterFirst' } },
  },
  status: { replicas: 3, readyReplicas: 3 },
};

const order = Array.from({ length: N }, (_, i) => ({ name: `c${i}` }));
const bodies: Record<string, unknown> = {
  'set image (1 of 200)': { spec: { template: { spec: { '$setElementOrder/containers': order, containers: [{ image: 'registry.example.com/app-100:2.0', name: 'c100' }] } } } },
  'apply: delete a container': { spec: { template: { spec: { '$setElementOrder/containers': order.filter((o) => o.name !== 'c7'), containers: [{ $patch: 'delete', name: 'c7' }] } } } },
  'rollout restart': { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:00Z' } } } } },
  'set env (last container)': { spec: { template: { spec: { '$setElementOrder/containers': order, containers: [{ '$setElementOrder/env': [{ name: 'A' }, { name: 'B' }, { name: 'FOO' }], env: [{ name: 'FOO', value: 'bar' }], name: `c${N - 1}` }] } } } },
};

function run(name: string, patch: unknown): number {
  const [rate] = opsRate(() => { applyStrategicMergePatch(live, patch, 'apps/v1', 'Deployment'); }, { seconds: SECONDS, warmup: 200, batch: 50 });
  console.log(`| ${name} | ${Math.round(rate).toLocaleString('en-US')} | ${(1000 / rate).toFixed(3)} |`);
  return rate;
}

console.log(`Deployment with ${N} containers (${JSON.stringify(live).length} bytes JSON), ${SECONDS}s per body, node ${process.version}`);
console.log('| body | patches/s | ms/patch |\n|---|---|---|');
let worst = Infinity;
for (const [name, patch] of Object.entries(bodies)) worst = Math.min(worst, run(name, patch));
console.log(`\nslowest: ${Math.round(worst)} patches/s (target >= 2000): ${worst >= 2000 ? 'OK' : 'BELOW TARGET'}`);
