// Namespace lifecycle through the real kubectl: `delete namespace` marks it Terminating, the
// namespace controller removes its content and then the namespace; writes into a Terminating
// namespace are refused with kube-apiserver's message; the immortal namespaces can't be deleted.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestKeks, type TestKeks } from '../../src/testing/harness.js';
import { eventually } from '../helpers/api.js';
import { Kubectl, kubectlSkip, rowOf } from '../helpers/kubectl.js';

const CONTENT = (ns: string): string => `
apiVersion: v1
kind: ConfigMap
metadata: {name: plain, namespace: ${ns}}
data: {a: "1"}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: held, namespace: ${ns}, finalizers: [example.com/hold]}
---
apiVersion: v1
kind: Secret
metadata: {name: s, namespace: ${ns}}
stringData: {k: v}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: d, namespace: ${ns}}
spec:
  selector: {matchLabels: {app: d}}
  template:
    metadata: {labels: {app: d}}
    spec: {containers: [{name: c, image: nginx}]}
`;

describe('kubectl delete namespace against keks', { skip: kubectlSkip }, () => {
  let tk: TestKeks;
  let k: Kubectl;

  before(async () => {
    tk = await startTestKeks({ store: 'sqlite' });
    k = new Kubectl(tk.kubeconfig);
  });
  after(async () => {
    k?.dispose();
    await tk?.stop();
  });

  it('delete namespace waits until the namespace and its content are gone', async () => {
    await k.ok(['create', 'namespace', 'gone']);
    await k.ok(['-n', 'gone', 'create', 'configmap', 'a', '--from-literal=x=1']);
    await k.ok(['-n', 'gone', 'create', 'deployment', 'web', '--image=nginx']);
    assert.equal((await k.ok(['delete', 'namespace', 'gone'], { timeoutMs: 60_000 })).trim(), 'namespace "gone" deleted');
    const r = await k.fails(['get', 'namespace', 'gone']);
    assert.equal(r.stderr.trim(), 'Error from server (NotFound): namespaces "gone" not found');
    const left = await k.ok(['get', 'cm,deploy', '-A', '-o', 'custom-columns=NS:.metadata.namespace', '--no-headers']);
    assert.ok(!left.split('\n').includes('gone'), left);
    // The name is free again.
    assert.equal((await k.ok(['create', 'namespace', 'gone'])).trim(), 'namespace/gone created');
    assert.equal(rowOf(await k.ok(['-n', 'gone', 'get', 'cm', '-o', 'name', '--no-headers']), 'configmap/a'), undefined);
  });

  it('a Terminating namespace refuses new content until a finalizer is released', async () => {
    await k.ok(['create', 'namespace', 'doomed']);
    await k.ok(['create', '-f', '-'], { input: CONTENT('doomed') });
    assert.equal((await k.ok(['delete', 'namespace', 'doomed', '--wait=false'])).trim(), 'namespace "doomed" deleted');

    const nsRow = await eventually(async () => {
      const row = rowOf(await k.ok(['get', 'ns', 'doomed']), 'doomed');
      return row?.[1] === 'Terminating' ? row : undefined;
    }, 'namespace doomed Terminating');
    assert.equal(nsRow[1], 'Terminating');
    const ns = JSON.parse(await k.ok(['get', 'ns', 'doomed', '-o', 'json']));
    assert.ok(ns.metadata.deletionTimestamp, 'deletionTimestamp set');
    assert.equal(ns.status.phase, 'Terminating');

    const gen = await k.fails(['-n', 'doomed', 'create', 'configmap', 'late', '--from-literal=x=1']);
    assert.match(gen.stderr, /configmaps "late" is forbidden: unable to create new content in namespace doomed because it is being terminated/);
    const viaFile = await k.fails(['create', '-f', '-'], { input: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: late2, namespace: doomed}\n' });
    assert.equal(viaFile.stderr.trim(), 'Error from server (Forbidden): error when creating "STDIN": configmaps "late2" is forbidden: unable to create new content in namespace doomed because it is being terminated');

    // The content goes; the finalized configmap stays (marked) and holds the namespace.
    await eventually(async () => {
      const names = (await k.ok(['-n', 'doomed', 'get', 'cm,secret,deploy', '-o', 'name'])).split('\n').filter(Boolean);
      return names.length === 1 && names[0] === 'configmap/held';
    }, 'namespace content removed except the finalized configmap', 20_000);
    const held = JSON.parse(await k.ok(['-n', 'doomed', 'get', 'cm', 'held', '-o', 'json']));
    assert.ok(held.metadata.deletionTimestamp);
    assert.deepEqual(held.metadata.finalizers, ['example.com/hold']);
    assert.equal(rowOf(await k.ok(['get', 'ns', 'doomed']), 'doomed')?.[1], 'Terminating');
    const noLate = await k.fails(['-n', 'doomed', 'get', 'cm', 'late']);
    assert.match(noLate.stderr, /configmaps "late" not found/);

    await k.ok(['-n', 'doomed', 'patch', 'cm', 'held', '--type', 'json', '-p', '[{"op":"remove","path":"/metadata/finalizers"}]']);
    await eventually(async () => {
      const r = await k.run(['get', 'ns', 'doomed']);
      return r.code !== 0 && /namespaces "doomed" not found/.test(r.stderr);
    }, 'namespace doomed removed', 20_000);
  });

  it('the immortal namespaces cannot be deleted', async () => {
    for (const n of ['default', 'kube-system', 'kube-public']) {
      const r = await k.fails(['delete', 'namespace', n]);
      assert.equal(r.stderr.trim(), `Error from server (Forbidden): namespaces "${n}" is forbidden: this namespace may not be deleted`);
    }
    assert.equal(rowOf(await k.ok(['get', 'ns', 'default']), 'default')?.[1], 'Active');
  });
});
