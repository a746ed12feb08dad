// The real kubectl's write verbs against one in-process keks: create -f / get / replace / delete,
// label and annotate (incl. --overwrite and `key-` removal), patch --type merge|json, edit with a
// scripted EDITOR (a strategic merge patch), scale (PATCH and the Content-Type-less PUT of
// --current-replicas), and `apply -f` of a multi-document file (create, unchanged, configured).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { startTestKeks, type TestKeks } from '../../src/testing/harness.js';
import { Kubectl, kubectlSkip, rowOf } from '../helpers/kubectl.js';

const MANIFEST = (replicas: number, image: string): string => `
apiVersion: v1
kind: ConfigMap
metadata:
  name: app-config
  namespace: shop
data:
  mode: production
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
  namespace: shop
  labels: {app: shop}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: shop}
  template:
    metadata:
      labels: {app: shop}
    spec:
      containers:
      - name: main
        image: ${image}
        ports: [{containerPort: 8080}]
      - name: sidecar
        image: busybox:1.36
---
apiVersion: v1
kind: Service
metadata:
  name: app
  namespace: shop
spec:
  selector: {app: shop}
  ports:
  - name: http
    port: 80
    targetPort: 8080
---
apiVersion: v1
kind: Secret
metadata:
  name: app-secret
  namespace: shop
type: Opaque
data:
  token: ${Buffer.from('s3cret').toString('base64')}
`;

function lines(s: string): string[] {
  return s.split('\n').map((l) => l.trim()).filter(Boolean).sort();
}

describe('kubectl writes against keks', { skip: kubectlSkip }, () => {
  let tk: TestKeks;
  let k: Kubectl;
  let tmp: string;
  const getJson = async (...args: string[]): Promise<any> => JSON.parse(await k.ok(['get', ...args, '-o', 'json']));

  before(async () => {
    tk = await startTestKeks({ store: 'sqlite' });
    k = new Kubectl(tk.kubeconfig);
    tmp = mkdtempSync(join(tmpdir(), 'keks-e2e-write-'));
    await k.ok(['create', 'namespace', 'w']);
  });
  after(async () => {
    k?.dispose();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    await tk?.stop();
  });

  it('create -f, get, replace -f, delete', async () => {
    const file = join(tmp, 'cm.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n  namespace: w\ndata:\n  color: blue\n');
    assert.equal((await k.ok(['create', '-f', file])).trim(), 'configmap/app created');
    const before = await getJson('-n', 'w', 'cm', 'app');
    assert.equal(before.data.color, 'blue');

    // replace: the edited object (with its resourceVersion) goes back as a PUT.
    const edited = { ...before, data: { color: 'green', size: 'L' } };
    assert.equal((await k.ok(['replace', '-f', '-'], { input: JSON.stringify(edited) })).trim(), 'configmap/app replaced');
    const afterReplace = await getJson('-n', 'w', 'cm', 'app');
    assert.deepEqual(afterReplace.data, { color: 'green', size: 'L' });
    assert.equal(afterReplace.metadata.uid, before.metadata.uid);
    assert.ok(Number(afterReplace.metadata.resourceVersion) > Number(before.metadata.resourceVersion));

    // A second replace with the now stale resourceVersion is a Conflict and changes nothing.
    const stale = await k.fails(['replace', '-f', '-'], { input: JSON.stringify({ ...before, data: { color: 'red' } }) });
    assert.match(stale.stderr, /Error from server \(Conflict\): error when replacing "STDIN": Operation cannot be fulfilled on configmaps "app": the object has been modified; please apply your changes to the latest version and try again/);
    assert.deepEqual((await getJson('-n', 'w', 'cm', 'app')).data, { color: 'green', size: 'L' });

    assert.equal((await k.ok(['-n', 'w', 'delete', 'cm', 'app'])).trim(), 'configmap "app" deleted');
    const gone = await k.fails(['-n', 'w', 'get', 'cm', 'app']);
    assert.equal(gone.stderr.trim(), 'Error from server (NotFound): configmaps "app" not found');
    const again = await k.fails(['-n', 'w', 'delete', 'cm', 'app']);
    assert.equal(again.stderr.trim(), 'Error from server (NotFound): configmaps "app" not found');
  });

  it('label: add, refuse without --overwrite, --overwrite, remove with key-', async () => {
    await k.ok(['-n', 'w', 'create', 'configmap', 'lab', '--from-literal=a=1']);
    assert.equal((await k.ok(['-n', 'w', 'label', 'cm', 'lab', 'env=prod', 'team=blue'])).trim(), 'configmap/lab labeled');
    assert.deepEqual((await getJson('-n', 'w', 'cm', 'lab')).metadata.labels, { env: 'prod', team: 'blue' });
    const refused = await k.fails(['-n', 'w', 'label', 'cm', 'lab', 'env=dev']);
    assert.match(refused.stderr, /'env' already has a value \(prod\), and --overwrite is false/);
    assert.equal((await k.ok(['-n', 'w', 'label', 'cm', 'lab', 'env=dev', '--overwrite'])).trim(), 'configmap/lab labeled');
    assert.equal((await getJson('-n', 'w', 'cm', 'lab')).metadata.labels.env, 'dev');
    assert.equal((await k.ok(['-n', 'w', 'label', 'cm', 'lab', 'team-'])).trim(), 'configmap/lab unlabeled');
    assert.deepEqual((await getJson('-n', 'w', 'cm', 'lab')).metadata.labels, { env: 'dev' });
    assert.deepEqual(lines(await k.ok(['-n', 'w', 'get', 'cm', '-l', 'env=dev', '-o', 'name'])), ['configmap/lab']);
    const invalid = await k.fails(['-n', 'w', 'label', 'cm', 'lab', 'bad key=x']);
    assert.notEqual(invalid.code, 0);
  });

  it('annotate: add, refuse without --overwrite, --overwrite, remove with key-', async () => {
    assert.equal((await k.ok(['-n', 'w', 'annotate', 'cm', 'lab', 'note=hello'])).trim(), 'configmap/lab annotated');
    assert.equal((await getJson('-n', 'w', 'cm', 'lab')).metadata.annotations.note, 'hello');
    const refused = await k.fails(['-n', 'w', 'annotate', 'cm', 'lab', 'note=bye']);
    assert.match(refused.stderr, /--overwrite is false but found the following declared annotation\(s\): 'note' already has a value \(hello\)/);
    assert.equal((await k.ok(['-n', 'w', 'annotate', 'cm', 'lab', 'note=bye', '--overwrite'])).trim(), 'configmap/lab annotated');
    assert.equal((await getJson('-n', 'w', 'cm', 'lab')).metadata.annotations.note, 'bye');
    assert.equal((await k.ok(['-n', 'w', 'annotate', 'cm', 'lab', 'note-'])).trim(), 'configmap/lab annotated');
    assert.equal((await getJson('-n', 'w', 'cm', 'lab')).metadata.annotations?.note, undefined);
  });

  it('patch --type merge and --type json (and a no-op patch)', async () => {
    await k.ok(['-n', 'w', 'create', 'configmap', 'pat', '--from-literal=a=1', '--from-literal=b=2']);
    assert.equal((await k.ok(['-n', 'w', 'patch', 'cm', 'pat', '--type', 'merge', '-p', '{"data":{"b":null,"c":"3"}}'])).trim(), 'configmap/pat patched');
    assert.deepEqual((await getJson('-n', 'w', 'cm', 'pat')).data, { a: '1', c: '3' });
    const ops = JSON.stringify([{ op: 'replace', path: '/data/a', value: 'one' }, { op: 'add', path: '/metadata/labels', value: { p: 'json' } }, { op: 'remove', path: '/data/c' }]);
    assert.equal((await k.ok(['-n', 'w', 'patch', 'cm', 'pat', '--type', 'json', '-p', ops])).trim(), 'configmap/pat patched');
    const cm = await getJson('-n', 'w', 'cm', 'pat');
    assert.deepEqual(cm.data, { a: 'one' });
    assert.deepEqual(cm.metadata.labels, { p: 'json' });
    const rv = cm.metadata.resourceVersion;
    assert.equal((await k.ok(['-n', 'w', 'patch', 'cm', 'pat', '--type', 'merge', '-p', '{"data":{"a":"one"}}'])).trim(), 'configmap/pat patched (no change)');
    assert.equal((await getJson('-n', 'w', 'cm', 'pat')).metadata.resourceVersion, rv, 'a no-op patch writes nothing');
    const failedTest = await k.fails(['-n', 'w', 'patch', 'cm', 'pat', '--type', 'json', '-p', '[{"op":"test","path":"/data/a","value":"nope"}]']);
    // A failed JSON-patch op is a 422 with the generic message and the cause (handlers/patch.go applyJSPatch).
    assert.equal(failedTest.stderr.trim(), 'The request is invalid: the server rejected our request due to an error in our request');
    assert.deepEqual((await getJson('-n', 'w', 'cm', 'pat')).data, { a: 'one' });
  });

  it('edit with a scripted EDITOR sends a strategic merge patch; EDITOR=true changes nothing', async () => {
    await k.ok(['-n', 'w', 'create', 'configmap', 'ed', '--from-literal=a=1', '--from-literal=keep=yes']);
    const editor = join(tmp, 'editor.sh');
    writeFileSync(editor, '#!/bin/sh\nexec sed -i -e \'s/^  a: "1"$/  a: "2"/\' "$1"\n');
    chmodSync(editor, 0o755);
    const r = await k.run(['-n', 'w', 'edit', 'cm', 'ed', '-v=8'], { env: { EDITOR: editor, KUBE_EDITOR: editor } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'configmap/ed edited');
    assert.match(r.stderr, /application\/strategic-merge-patch\+json/);
    assert.deepEqual((await getJson('-n', 'w', 'cm', 'ed')).data, { a: '2', keep: 'yes' });
    const none = await k.run(['-n', 'w', 'edit', 'cm', 'ed'], { env: { EDITOR: 'true', KUBE_EDITOR: 'true' } });
    assert.equal(none.code, 0, none.stderr);
    assert.match(none.stdout + none.stderr, /Edit cancelled, no changes made\./);

    // A deployment edit goes through the list merge keys (containers by name).
    await k.ok(['-n', 'w', 'create', 'deployment', 'ed', '--image=nginx:1.26']);
    const depEditor = join(tmp, 'dep-editor.sh');
    writeFileSync(depEditor, '#!/bin/sh\nexec sed -i -e \'s/nginx:1.26/nginx:1.27/\' "$1"\n');
    chmodSync(depEditor, 0o755);
    assert.equal((await k.ok(['-n', 'w', 'edit', 'deploy', 'ed'], { env: { EDITOR: depEditor, KUBE_EDITOR: depEditor } })).trim(), 'deployment.apps/ed edited');
    const dep = await getJson('-n', 'w', 'deploy', 'ed');
    assert.deepEqual(dep.spec.template.spec.containers.map((c: { name: string; image: string }) => [c.name, c.image]), [['nginx', 'nginx:1.27']]);
    assert.equal(dep.metadata.generation, 2);
  });

  it('scale: PATCH on /scale and the Content-Type-less PUT of --current-replicas', async () => {
    await k.ok(['-n', 'w', 'create', 'deployment', 'sc', '--image=nginx', '--replicas=1']);
    assert.equal((await k.ok(['-n', 'w', 'scale', 'deploy', 'sc', '--replicas=3'])).trim(), 'deployment.apps/sc scaled');
    assert.equal((await getJson('-n', 'w', 'deploy', 'sc')).spec.replicas, 3);
    assert.equal((await k.ok(['-n', 'w', 'scale', 'deploy', 'sc', '--current-replicas=3', '--replicas=5'])).trim(), 'deployment.apps/sc scaled');
    assert.equal((await getJson('-n', 'w', 'deploy', 'sc')).spec.replicas, 5);
    const wrong = await k.fails(['-n', 'w', 'scale', 'deploy', 'sc', '--current-replicas=1', '--replicas=2']);
    assert.match(wrong.stderr, /Expected replicas to be 1, was 5/);
    assert.equal((await getJson('-n', 'w', 'deploy', 'sc')).spec.replicas, 5);
  });

  it('apply -f of a multi-document file creates, leaves unchanged, then configures', async () => {
    await k.ok(['create', 'namespace', 'shop']);
    const file = join(tmp, 'shop.yaml');
    writeFileSync(file, MANIFEST(2, 'shop:1.0'));
    const created = await k.ok(['apply', '-f', file]);
    assert.deepEqual(lines(created), ['configmap/app-config created', 'deployment.apps/app created', 'secret/app-secret created', 'service/app created']);
    const cm = await getJson('-n', 'shop', 'cm', 'app-config');
    assert.equal(cm.data.mode, 'production');
    const last = JSON.parse(cm.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']);
    assert.deepEqual(last.data, { mode: 'production' });
    const secret = await getJson('-n', 'shop', 'secret', 'app-secret');
    assert.equal(Buffer.from(secret.data.token, 'base64').toString(), 's3cret');
    const svc = await getJson('-n', 'shop', 'svc', 'app');
    assert.equal(svc.spec.ports[0].targetPort, 8080);

    assert.deepEqual(lines(await k.ok(['apply', '-f', file])), ['configmap/app-config unchanged', 'deployment.apps/app unchanged', 'secret/app-secret unchanged', 'service/app unchanged']);

    writeFileSync(file, MANIFEST(3, 'shop:1.1'));
    assert.deepEqual(lines(await k.ok(['apply', '-f', file])), ['configmap/app-config unchanged', 'deployment.apps/app configured', 'secret/app-secret unchanged', 'service/app unchanged']);
    const dep = await getJson('-n', 'shop', 'deploy', 'app');
    assert.equal(dep.spec.replicas, 3);
    assert.deepEqual(dep.spec.template.spec.containers.map((c: { name: string; image: string }) => [c.name, c.image]), [['main', 'shop:1.1'], ['sidecar', 'busybox:1.36']]);
    assert.equal(dep.metadata.generation, 2);

    const all = await k.ok(['-n', 'shop', 'get', 'all']);
    assert.match(all, /^service\/app\s+ClusterIP\s+\S+\s+\S+\s+80\/TCP\s/m);
    assert.match(all, /^deployment\.apps\/app\s+\d+\/3\s/m);
    const y = parseYaml(await k.ok(['-n', 'shop', 'get', 'deploy', 'app', '-o', 'yaml'])) as { metadata: { annotations: Record<string, string> } };
    assert.match(y.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'], /shop:1\.1/);

    assert.deepEqual(lines(await k.ok(['delete', '-f', file])), ['configmap "app-config" deleted', 'deployment.apps "app" deleted', 'secret "app-secret" deleted', 'service "app" deleted']);
    const left = await k.ok(['-n', 'shop', 'get', 'cm,deploy,svc,secret', '-o', 'name']);
    assert.deepEqual(lines(left).filter((l) => /app/.test(l)), []);
    assert.equal(rowOf(await k.ok(['get', 'ns', 'shop']), 'shop')?.[1], 'Active');
  });
});
