// The real kubectl against keks: invalid built-in objects are rejected with kube-apiserver's 422
// message shape (`The Deployment "x" is invalid: <field>: <error>`), updates of immutable fields
// are refused, and `--validate=strict|warn` reports unknown fields (fieldValidation=Strict|Warn).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestKeks, type TestKeks } from '../../src/testing/harness.js';
import { Kubectl, kubectlSkip } from '../helpers/kubectl.js';

const deployment = (name: string, selector: string, label: string, extraSpec = ''): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: v
spec:
  replicas: 1${extraSpec}
  selector:
    matchLabels: {app: ${selector}}
  template:
    metadata:
      labels: {app: ${label}}
    spec:
      containers:
      - name: web
        image: nginx:1.27
`;

/** Whether the create/update/patch handlers call fieldvalidation yet (the lead wires it in). */
function fieldValidationWired(): boolean {
  for (const f of ['src/apiserver/handlers/write.ts', 'src/apiserver/handlers/patch.ts']) {
    try {
      if (readFileSync(f, 'utf8').includes('checkFields')) return true;
    } catch { /* not found */ }
  }
  return false;
}
const fieldValidationSkip: string | false = fieldValidationWired() ? false : 'fieldvalidation.checkFields is not called from the write handlers yet';

describe('kubectl and built-in validation', { skip: kubectlSkip }, () => {
  let tk: TestKeks;
  let k: Kubectl;
  let tmp: string;
  const file = (name: string, text: string): string => {
    const p = join(tmp, name);
    writeFileSync(p, text);
    return p;
  };

  before(async () => {
    tk = await startTestKeks({ store: 'sqlite' });
    k = new Kubectl(tk.kubeconfig);
    tmp = mkdtempSync(join(tmpdir(), 'keks-e2e-validation-'));
    await k.ok(['create', 'namespace', 'v']);
  });
  after(async () => {
    k?.dispose();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    await tk?.stop();
  });

  it('rejects a Deployment whose selector does not match its template labels', async () => {
    const r = await k.fails(['create', '-f', file('bad-deploy.yaml', deployment('bad', 'one', 'two'))]);
    assert.equal(r.stderr.trim(), 'The Deployment "bad" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"two"}: `selector` does not match template `labels`');
  });

  it('refuses to change a Deployment selector (immutable in apps/v1)', async () => {
    await k.ok(['apply', '-f', file('web.yaml', deployment('web', 'web', 'web'))]);
    const r = await k.fails(['apply', '-f', file('web2.yaml', deployment('web', 'web2', 'web2'))]);
    assert.match(r.stderr, /The Deployment "web" is invalid: spec\.selector: Invalid value: v1\.LabelSelector\{MatchLabels:map\[string\]string\{"app":"web2"\}, MatchExpressions:\[\]v1\.LabelSelectorRequirement\(nil\)\}: field is immutable/);
  });

  it('rejects pods with requests above limits and bad ports, naming every field', async () => {
    const pod = `apiVersion: v1
kind: Pod
metadata: {name: p, namespace: v}
spec:
  containers:
  - name: c
    image: busybox
    ports: [{containerPort: 70000}]
    resources:
      requests: {cpu: "2"}
      limits: {cpu: "1"}
`;
    const r = await k.fails(['create', '-f', file('pod.yaml', pod)]);
    assert.equal(r.stderr.trim(), 'The Pod "p" is invalid: \n* spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive\n* spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1');
  });

  it('rejects a pod whose securityContext.runAsUser is negative, as kube-apiserver (IsValidUserID)', async () => {
    const pod = `apiVersion: v1
kind: Pod
metadata: {name: neg, namespace: v}
spec:
  securityContext: {runAsUser: -1}
  containers: [{name: c, image: busybox}]
`;
    const r = await k.fails(['create', '-f', file('neg.yaml', pod)]);
    assert.equal(r.stderr.trim(), 'The Pod "neg" is invalid: spec.securityContext.runAsUser: Invalid value: -1: must be between 0 and 2147483647, inclusive');
  });

  it('rejects a loopback EndpointSlice address (ValidateNonSpecialIP) while keks keeps its own kubernetes slice on 127.0.0.1', async () => {
    assert.equal(await k.ok(['get', 'endpointslice', 'kubernetes', '-n', 'default', '-o', 'jsonpath={.endpoints[0].addresses[0]}']), '127.0.0.1');
    const slice = JSON.stringify({
      apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'lo', namespace: 'v' },
      addressType: 'IPv4', endpoints: [{ addresses: ['127.0.0.1'] }], ports: [],
    });
    const r = await k.fails(['create', '-f', file('lo.json', slice)]);
    assert.equal(r.stderr.trim(), 'The EndpointSlice "lo" is invalid: endpoints[0].addresses[0]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)');
  });

  it('rejects a CronJob with an unparsable schedule and a Job with restartPolicy Always', async () => {
    const cj = `apiVersion: batch/v1
kind: CronJob
metadata: {name: cj, namespace: v}
spec:
  schedule: "every minute"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers: [{name: c, image: busybox}]
`;
    const r = await k.fails(['create', '-f', file('cj.yaml', cj)]);
    assert.equal(r.stderr.trim(), 'The CronJob "cj" is invalid: spec.schedule: Invalid value: "every minute": expected exactly 5 fields, found 2: [every minute]');
    const always = `apiVersion: batch/v1
kind: Job
metadata: {name: j2, namespace: v}
spec:
  template:
    spec:
      restartPolicy: Always
      containers: [{name: c, image: busybox}]
`;
    const r2 = await k.fails(['create', '-f', file('job.yaml', always)]);
    assert.equal(r2.stderr.trim(), 'The Job "j2" is invalid: spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"');
  });

  it('--validate=strict rejects an unknown field; --validate=warn creates and warns', { skip: fieldValidationSkip }, async () => {
    const f = file('foo.yaml', deployment('strict', 'strict', 'strict', '\n  foo: bar'));
    const r = await k.fails(['create', '-f', f]);
    assert.equal(r.stderr.trim(), `Error from server (BadRequest): error when creating "${f}": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.foo"`);
    const w = await k.run(['create', '--validate=warn', '-f', f]);
    assert.equal(w.code, 0, w.stderr);
    assert.match(w.stderr, /Warning: unknown field "spec\.foo"/);
    assert.equal(w.stdout.trim(), 'deployment.apps/strict created');
  });
  it('a value of the wrong JSON type: 400 in encoding/json\'s words, as kube-apiserver decodes', async () => {
    const f = file('replicas.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: typed}\nspec:\n  replicas: three\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec: {containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]}\n');
    const r = await k.fails(['create', '-f', f]);
    assert.equal(r.stderr.trim(), `Error from server (BadRequest): error when creating "${f}": Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32`);
    const svc = file('ports.yaml', 'apiVersion: v1\nkind: Service\nmetadata: {name: typed}\nspec:\n  ports: {port: 80}\n');
    const r2 = await k.fails(['create', '-f', svc]);
    assert.equal(r2.stderr.trim(), `Error from server (BadRequest): error when creating "${svc}": Service in version "v1" cannot be handled as a Service: json: cannot unmarshal object into Go struct field ServiceSpec.spec.ports of type []v1.ServicePort`);
  });
});
