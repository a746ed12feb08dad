// /openapi/v2 with CRDs through the real kubectl: a created CRD's definition (reversed group +
// version + kind) and paths appear in `kubectl get --raw /openapi/v2`, `kubectl explain
// --output=plaintext-openapiv2` (which reads the protobuf form) prints its field descriptions,
// and the definition goes away with the CRD.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestKeks, type TestKeks } from '../../src/testing/harness.js';
import { Kubectl, kubectlSkip } from '../helpers/kubectl.js';

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: crontabs.stable.example.com
spec:
  group: stable.example.com
  scope: Namespaced
  names: { plural: crontabs, singular: crontab, kind: CronTab, shortNames: [ct] }
  versions:
  - name: v1
    served: true
    storage: true
    subresources: { status: {} }
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            description: CronTabSpec is the desired schedule.
            properties:
              cronSpec: { type: string, description: The cron expression the job runs on. }
              note: { type: string, nullable: true, description: A nullable note. }
`;

interface Swagger { definitions: Record<string, { properties?: Record<string, { description?: string; type?: string }>; 'x-kubernetes-group-version-kind'?: unknown }>; paths: Record<string, Record<string, { operationId?: string }>> }

describe('kubectl and /openapi/v2 with a CRD', { skip: kubectlSkip }, () => {
  let tk: TestKeks;
  let k: Kubectl;

  before(async () => {
    tk = await startTestKeks({ store: 'memory' });
    k = new Kubectl(tk.kubeconfig);
    await k.ok(['create', '-f', '-'], { input: CRD });
    await k.ok(['wait', '--for=condition=Established', 'crd/crontabs.stable.example.com', '--timeout=10s']);
  });
  after(async () => {
    k?.dispose();
    await tk?.stop();
  });

  it('kubectl get --raw /openapi/v2 shows the definition and paths', async () => {
    const doc = JSON.parse(await k.ok(['get', '--raw', '/openapi/v2'])) as Swagger;
    const def = doc.definitions['com.example.stable.v1.CronTab'];
    assert.ok(def, 'definition present');
    assert.deepEqual(def['x-kubernetes-group-version-kind'], [{ group: 'stable.example.com', kind: 'CronTab', version: 'v1' }]);
    assert.equal(def.properties?.spec?.description, 'CronTabSpec is the desired schedule.');
    assert.ok(doc.definitions['com.example.stable.v1.CronTabList']);
    assert.equal(doc.paths['/apis/stable.example.com/v1/namespaces/{namespace}/crontabs']?.get?.operationId, 'listStableExampleComV1NamespacedCronTab');
  });

  it('kubectl explain --output=plaintext-openapiv2 prints the CRD fields (protobuf v2)', async () => {
    const out = await k.ok(['explain', 'crontabs.spec', '--output=plaintext-openapiv2']);
    assert.match(out, /KIND:\s+CronTab/);
    assert.match(out, /VERSION:\s+stable\.example\.com\/v1/);
    assert.match(out, /CronTabSpec is the desired schedule\./);
    assert.match(out, /cronSpec\s+<string>/);
    assert.match(out, /The cron expression the job runs on\./);
  });

  it('the definition leaves /openapi/v2 with the CRD', async () => {
    await k.ok(['delete', 'crd', 'crontabs.stable.example.com', '--timeout=20s']);
    let doc: Swagger | undefined;
    for (let i = 0; i < 50; i++) {
      doc = JSON.parse(await k.ok(['get', '--raw', '/openapi/v2'])) as Swagger;
      if (!doc.definitions['com.example.stable.v1.CronTab']) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(doc?.definitions['com.example.stable.v1.CronTab'], undefined);
    assert.ok(doc?.definitions['io.k8s.api.apps.v1.Deployment']);
  });
});
