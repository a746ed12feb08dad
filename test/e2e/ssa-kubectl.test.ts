// Server-side apply with the real kubectl (issue 3 part 6): `apply --server-side` creating a
// Deployment, a conflict with the manager `kubectl scale` left on .spec.replicas (kubectl's own
// error text), `--force-conflicts`, pruning a field removed from the manifest, managedFields as
// `get --show-managed-fields` prints them, and the client-side → server-side apply upgrade.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestKeks, type TestKeks } from '../../src/testing/harness.js';
import { Kubectl, kubectlSkip } from '../helpers/kubectl.js';

interface Entry { manager: string; operation: string; apiVersion: string; subresource?: string; time?: string; fieldsType: string; fieldsV1: Record<string, unknown> }

const deployment = (o: { replicas: number; env?: boolean; label?: boolean; name?: string }): string => `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${o.name ?? 'web'}
  namespace: ssa
  labels:
    app: web${o.label === false ? '' : '\n    tier: frontend'}
spec:
  replicas: ${o.replicas}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports: [{containerPort: 80}]${o.env === false ? '' : '\n        env: [{name: MODE, value: prod}]'}
`;

describe('kubectl apply --server-side against keks', { skip: kubectlSkip }, () => {
  let tk: TestKeks;
  let k: Kubectl;
  const getJson = async (...args: string[]): Promise<any> => JSON.parse(await k.ok(['get', ...args, '-o', 'json', '--show-managed-fields']));

  before(async () => {
    tk = await startTestKeks({ store: 'sqlite' });
    k = new Kubectl(tk.kubeconfig);
    await k.ok(['create', 'namespace', 'ssa']);
  });
  after(async () => { await tk?.stop(); });

  it('creates the object (serverside-applied) and records the kubectl Apply manager', async () => {
    const out = await k.ok(['apply', '--server-side', '-f', '-'], { input: deployment({ replicas: 2 }) });
    assert.equal(out.trim(), 'deployment.apps/web serverside-applied');
    const d = await getJson('deployment', 'web', '-n', 'ssa');
    assert.equal(d.spec.replicas, 2);
    const mf: Entry[] = d.metadata.managedFields;
    const apply = mf.find((e) => e.manager === 'kubectl' && e.operation === 'Apply');
    assert.ok(apply, JSON.stringify(mf));
    assert.equal(apply.apiVersion, 'apps/v1');
    assert.equal(apply.fieldsType, 'FieldsV1');
    assert.match(apply.time ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const spec = apply.fieldsV1['f:spec'] as Record<string, any>;
    assert.deepEqual(spec['f:replicas'], {});
    assert.deepEqual(spec['f:selector'], {});
    const c = spec['f:template']['f:spec']['f:containers']['k:{"name":"nginx"}'];
    assert.deepEqual(Object.keys(c).sort(), ['.', 'f:env', 'f:image', 'f:name', 'f:ports']);
    assert.ok(c['f:ports']['k:{"containerPort":80,"protocol":"TCP"}'], JSON.stringify(c['f:ports']));
    // Defaults filled in by the server are nobody's.
    assert.equal(spec['f:revisionHistoryLimit'], undefined);
    assert.equal(d.spec.revisionHistoryLimit, 10);
  });

  it('re-applying the same manifest changes nothing', async () => {
    const before = await getJson('deployment', 'web', '-n', 'ssa');
    const out = await k.ok(['apply', '--server-side', '-f', '-'], { input: deployment({ replicas: 2 }) });
    assert.equal(out.trim(), 'deployment.apps/web serverside-applied');
    const after = await getJson('deployment', 'web', '-n', 'ssa');
    assert.equal(after.metadata.resourceVersion, before.metadata.resourceVersion);
  });

  it('a conflict with kubectl scale is a 409 kubectl explains; --force-conflicts takes the field', async () => {
    await k.ok(['scale', 'deployment/web', '-n', 'ssa', '--replicas=5']);
    const scaled = await getJson('deployment', 'web', '-n', 'ssa');
    const scaleEntry = (scaled.metadata.managedFields as Entry[]).find((e) => e.subresource === 'scale');
    assert.ok(scaleEntry, JSON.stringify(scaled.metadata.managedFields));
    assert.equal(scaleEntry.manager, 'kubectl');
    assert.equal(scaleEntry.operation, 'Update');
    assert.deepEqual(scaleEntry.fieldsV1, { 'f:spec': { 'f:replicas': {} } });

    const r = await k.fails(['apply', '--server-side', '-f', '-'], { input: deployment({ replicas: 3 }) });
    assert.match(r.stderr, /Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps\/v1: \.spec\.replicas/);
    assert.match(r.stderr, /Please review the fields above--they currently have other managers/);
    assert.match(r.stderr, /--force-conflicts/);
    assert.equal((await getJson('deployment', 'web', '-n', 'ssa')).spec.replicas, 5);

    const out = await k.ok(['apply', '--server-side', '--force-conflicts', '-f', '-'], { input: deployment({ replicas: 3 }) });
    assert.equal(out.trim(), 'deployment.apps/web serverside-applied');
    const d = await getJson('deployment', 'web', '-n', 'ssa');
    assert.equal(d.spec.replicas, 3);
    assert.equal((d.metadata.managedFields as Entry[]).some((e) => e.subresource === 'scale'), false, 'the scale manager lost its only field');
  });

  it('fields removed from the manifest are removed from the object', async () => {
    await k.ok(['apply', '--server-side', '-f', '-'], { input: deployment({ replicas: 3, env: false, label: false }) });
    const d = await getJson('deployment', 'web', '-n', 'ssa');
    assert.deepEqual(d.metadata.labels, { app: 'web' });
    assert.equal(d.spec.template.spec.containers[0].env, undefined);
    const apply = (d.metadata.managedFields as Entry[]).find((e) => e.operation === 'Apply') as Entry;
    assert.equal(JSON.stringify(apply.fieldsV1).includes('f:env'), false);
    assert.equal(JSON.stringify(apply.fieldsV1).includes('f:tier'), false);
  });

  it('get -o yaml --show-managed-fields prints the entries; without the flag they are hidden', async () => {
    const yaml = await k.ok(['get', 'deployment', 'web', '-n', 'ssa', '-o', 'yaml', '--show-managed-fields']);
    assert.match(yaml, /managedFields:\n {2}- apiVersion: apps\/v1\n {4}fieldsType: FieldsV1\n {4}fieldsV1:\n/);
    assert.match(yaml, /manager: kubectl\n {4}operation: Apply/);
    const plain = await k.ok(['get', 'deployment', 'web', '-n', 'ssa', '-o', 'yaml']);
    assert.equal(plain.includes('managedFields'), false);
  });

  it('kubectl create records an Update manager; client-side apply upgrades to server-side without conflicts', async () => {
    await k.ok(['apply', '-f', '-'], { input: deployment({ replicas: 1, name: 'csa' }) });
    const csa = await getJson('deployment', 'csa', '-n', 'ssa');
    const entry = (csa.metadata.managedFields as Entry[]).find((e) => e.manager === 'kubectl-client-side-apply');
    assert.ok(entry);
    assert.equal(entry.operation, 'Update');
    // Changing a field last set by client-side apply is not a conflict for manager "kubectl".
    const out = await k.ok(['apply', '--server-side', '-f', '-'], { input: deployment({ replicas: 4, name: 'csa' }) });
    assert.equal(out.trim(), 'deployment.apps/csa serverside-applied');
    const d = await getJson('deployment', 'csa', '-n', 'ssa');
    assert.equal(d.spec.replicas, 4);
    const last = JSON.parse(d.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']);
    assert.equal(last.spec.replicas, 4, 'the client-side annotation follows the server-side apply');
  });

  it('apply --server-side --dry-run=server does not persist', async () => {
    const out = await k.ok(['apply', '--server-side', '--dry-run=server', '-f', '-'], { input: deployment({ replicas: 9, name: 'dry' }) });
    assert.match(out, /deployment.apps\/dry serverside-applied \(server dry run\)/);
    const r = await k.fails(['get', 'deployment', 'dry', '-n', 'ssa']);
    assert.match(r.stderr, /not found/);
  });
});
