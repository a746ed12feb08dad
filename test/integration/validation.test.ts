// Built-in validation through the API: a 422 Invalid Status with kube-apiserver's message, reason
// and causes; pod updates limited to the mutable fields; warnings from pod templates as
// `Warning:` headers; minimal (defaulted) objects of every workload kind accepted.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestKeks, type TestKeks } from '../../src/testing/harness.js';
import type { ApiClient } from '../helpers/api.js';
import { tokenClient } from '../helpers/keks.js';

const NS = 'validation';
const labels = { app: 'web' };
const template = { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'nginx' }] } };

describe('validation through the API', () => {
  let tk: TestKeks;
  let api: ApiClient;

  before(async () => {
    tk = await startTestKeks({ store: 'memory' });
    api = tokenClient(tk);
    const r = await api.request('/api/v1/namespaces', { method: 'POST', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } } });
    assert.equal(r.status, 201, r.text);
  });
  after(async () => { await tk?.stop(); });

  it('minimal objects of the workload kinds are accepted once defaulted', async () => {
    const cases: Array<[string, Record<string, unknown>]> = [
      [`/api/v1/namespaces/${NS}/pods`, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'ok' }, spec: template.spec }],
      [`/apis/apps/v1/namespaces/${NS}/deployments`, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'ok' }, spec: { selector: { matchLabels: labels }, template } }],
      [`/apis/apps/v1/namespaces/${NS}/statefulsets`, { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'ok' }, spec: { selector: { matchLabels: labels }, template } }],
      [`/apis/apps/v1/namespaces/${NS}/daemonsets`, { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'ok' }, spec: { selector: { matchLabels: labels }, template } }],
      [`/apis/batch/v1/namespaces/${NS}/cronjobs`, { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'ok' }, spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template: { spec: { ...template.spec, restartPolicy: 'OnFailure' } } } } } }],
      [`/api/v1/namespaces/${NS}/services`, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'ok' }, spec: { selector: labels, ports: [{ port: 80 }] } }],
    ];
    for (const [path, body] of cases) {
      const r = await api.request(path, { method: 'POST', body });
      assert.equal(r.status, 201, `${path}: ${r.text}`);
    }
  });

  it('an invalid Deployment is a 422 with upstream message, reason and causes', async () => {
    const r = await api.request(`/apis/apps/v1/namespaces/${NS}/deployments`, {
      method: 'POST',
      body: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'bad' }, spec: { replicas: -1, selector: { matchLabels: { app: 'other' } }, template } },
    });
    assert.equal(r.status, 422, r.text);
    const s = r.json();
    assert.equal(s.reason, 'Invalid');
    assert.equal(s.message, 'Deployment.apps "bad" is invalid: [spec.replicas: Invalid value: -1: must be greater than or equal to 0, spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`]');
    assert.deepEqual(s.details.causes, [
      { reason: 'FieldValueInvalid', message: 'Invalid value: -1: must be greater than or equal to 0', field: 'spec.replicas' },
      { reason: 'FieldValueInvalid', message: 'Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`', field: 'spec.template.metadata.labels' },
    ]);
    assert.equal(s.details.kind, 'Deployment');
    assert.equal(s.details.group, 'apps');
  });

  it('pod updates may change the image but not the restart policy', async () => {
    const path = `/api/v1/namespaces/${NS}/pods/ok`;
    const pod = (await api.request(path)).json();
    pod.spec.containers[0].image = 'nginx:1.27';
    const ok = await api.request(path, { method: 'PUT', body: pod });
    assert.equal(ok.status, 200, ok.text);
    const next = ok.json();
    next.spec.restartPolicy = 'Never';
    const bad = await api.request(path, { method: 'PUT', body: next });
    assert.equal(bad.status, 422, bad.text);
    assert.match(bad.json().message, /^Pod "ok" is invalid: spec: Forbidden: pod updates may not change fields other than `spec\.containers\[\*\]\.image`,/);
    assert.match(bad.json().message, /-\s+\tRestartPolicy: "Always",\n\+\s+\tRestartPolicy: "Never",/);
  });

  it('pod template warnings come back as Warning headers', async () => {
    const r = await api.request(`/apis/apps/v1/namespaces/${NS}/deployments`, {
      method: 'POST',
      body: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'warn' }, spec: { selector: { matchLabels: labels }, template: { ...template, spec: { ...template.spec, nodeSelector: { 'beta.kubernetes.io/os': 'linux' } } } } },
    });
    assert.equal(r.status, 201, r.text);
    assert.match(String(r.headers.warning), /299 - "spec\.template\.spec\.nodeSelector\[beta\.kubernetes\.io\/os\]: deprecated since v1\.14; use \\?"kubernetes\.io\/os\\?" instead"/);
  });
});
