/**
 * kubectl drain / logs / exec against 3 simulated nodes: a 3-replica Deployment guarded by a PDB
 * (minAvailable 2) → the PDB shows ALLOWED DISRUPTIONS 1; draining two nodes one after the other
 * evicts through pods/eviction, the second drain meets the budget (429, kubectl retries) until the
 * replacement pod is ready; `kubectl logs` prints the simulated lines; `kubectl exec` prints the
 * simulated-runtime error.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestKeks, type TestKeks } from '../../src/testing/harness.js';
import { Kubectl, kubectlSkip, tableRows } from '../helpers/kubectl.js';
import { eventually } from '../helpers/api.js';

const YAML = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        readinessProbe: {exec: {command: ["true"]}, initialDelaySeconds: 8, periodSeconds: 1}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web}
spec:
  minAvailable: 2
  selector: {matchLabels: {app: web}}
`;

/** Bounded polling (test/helpers/api.ts eventually). */
const until = <T>(what: string, fn: () => Promise<T | undefined | false>, ms = 30_000): Promise<T> => eventually(fn, what, ms, 200) as Promise<T>;

describe('kubectl drain, logs and exec', { skip: kubectlSkip }, () => {
  let tk: TestKeks;
  let k: Kubectl;
  before(async () => {
    tk = await startTestKeks({ store: 'memory', nodes: 3 });
    k = new Kubectl(tk.kubeconfig);
  });
  after(async () => {
    k?.dispose();
    await tk?.stop();
  });

  it('PDB allows 1 disruption; drain evicts respecting it (429 → retry)', async () => {
    await k.ok(['apply', '-f', '-'], { input: YAML });
    await k.ok(['rollout', 'status', 'deploy/web', '--timeout=60s'], { timeoutMs: 65_000 });
    const pdb = await until('PDB allows 1', async () => {
      const r = tableRows(await k.ok(['get', 'pdb', 'web']));
      return r[1]?.[3] === '1' ? r : undefined;
    });
    assert.deepEqual(pdb[0].slice(0, 4), ['NAME', 'MIN', 'AVAILABLE', 'MAX']);
    const nodeOf = async (): Promise<string[]> => (await k.ok(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={range .items[*]}{.spec.nodeName} {end}'])).trim().split(' ');
    const nodes = [...new Set(await nodeOf())];
    assert.ok(nodes.length >= 2, `pods spread over ${nodes.join(',')}`);
    const first = await k.run(['drain', nodes[0], '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=60s'], { timeoutMs: 65_000 });
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, new RegExp(`node/${nodes[0]} drained`));
    assert.match(first.stdout, /pod\/web-\S+ evicted/);
    // Right away the replacement is not ready yet (readiness delay 8 s): the budget is used up.
    const second = await k.run(['drain', nodes[1], '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=60s'], { timeoutMs: 65_000 });
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stderr + second.stdout, /Cannot evict pod as it would violate the pod's disruption budget/);
    assert.match(second.stdout, new RegExp(`node/${nodes[1]} drained`));
    const cordoned = tableRows(await k.ok(['get', 'node', nodes[0]]))[1];
    assert.match(cordoned[1], /SchedulingDisabled/);
  });

  it('kubectl logs prints the simulated lines; kubectl exec prints the simulated-runtime error', async () => {
    await k.ok(['run', 'solo', '--image=busybox:1.36', '--restart=Never']);
    await until('solo running', async () => (await k.ok(['get', 'pod', 'solo', '-o', 'jsonpath={.status.phase}'])) === 'Running');
    const logs = await k.ok(['logs', 'solo']);
    assert.match(logs, /^\S+Z keks: container solo started \(image busybox:1\.36\)\n$/);
    const tail = await k.ok(['logs', 'solo', '--tail=0']);
    assert.equal(tail, '');
    const ex = await k.fails(['exec', 'solo', '--', 'ls'], { timeoutMs: 30_000 });
    assert.match(ex.stderr, /keks runs simulated containers: exec is not supported by the simulated runtime/);
  });

  it('kubectl logs -f streams until the pod goes away', async () => {
    const f = k.spawn(['logs', '-f', 'solo']);
    try {
      await f.waitFor((o) => o.includes('keks: container solo started'), 'the started line');
      await k.ok(['delete', 'pod', 'solo', '--grace-period=1', '--wait=false']);
      const end = Date.now() + 20_000;
      while (f.exitCode === null && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
      assert.equal(f.exitCode, 0, f.stderr);
    } finally {
      await f.stop();
    }
  });
});
