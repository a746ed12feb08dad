// Defaulting through the API: minimal objects POSTed over HTTPS to an in-process keks come back
// (create response and a later GET) with exactly the spec a kube-apiserver 1.32 returns, field
// by field. What strategies, admission and controllers add (status, serviceAccountName,
// tolerations, Job selectors, Service clusterIP allocation) is outside these assertions.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestKeks, type TestKeks } from '../../src/testing/harness.js';
import type { ApiClient } from '../helpers/api.js';
import { tokenClient } from '../helpers/keks.js';

const NS = 'defaults';
const container = { name: 'web', image: 'nginx' };
const containerOut = {
  name: 'web', image: 'nginx', imagePullPolicy: 'Always', resources: {},
  terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File',
};
const podSpecOut = { dnsPolicy: 'ClusterFirst', restartPolicy: 'Always', schedulerName: 'default-scheduler', securityContext: {}, terminationGracePeriodSeconds: 30 };
const labels = { app: 'web' };
const template = { metadata: { labels }, spec: { containers: [container] } };
const templateOut = { metadata: { creationTimestamp: null, labels }, spec: { containers: [containerOut], ...podSpecOut } };

interface Case { path: string; body: Record<string, unknown>; spec: Record<string, unknown> }

const CASES: Record<string, Case> = {
  Pod: {
    path: `/api/v1/namespaces/${NS}/pods`,
    body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { containers: [container] } },
    // priority/preemptionPolicy: the Priority admission plugin (no globalDefault PriorityClass → 0).
    spec: { containers: [containerOut], enableServiceLinks: true, ...podSpecOut, priority: 0, preemptionPolicy: 'PreemptLowerPriority' },
  },
  Deployment: {
    path: `/apis/apps/v1/namespaces/${NS}/deployments`,
    body: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { selector: { matchLabels: labels }, template } },
    spec: {
      progressDeadlineSeconds: 600, replicas: 1, revisionHistoryLimit: 10, selector: { matchLabels: labels },
      strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' }, type: 'RollingUpdate' }, template: templateOut,
    },
  },
  StatefulSet: {
    path: `/apis/apps/v1/namespaces/${NS}/statefulsets`,
    body: { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web' }, spec: { serviceName: 'web', selector: { matchLabels: labels }, template } },
    spec: {
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' }, podManagementPolicy: 'OrderedReady',
      replicas: 1, revisionHistoryLimit: 10, selector: { matchLabels: labels }, serviceName: 'web', template: templateOut,
      updateStrategy: { rollingUpdate: { partition: 0 }, type: 'RollingUpdate' },
    },
  },
  DaemonSet: {
    path: `/apis/apps/v1/namespaces/${NS}/daemonsets`,
    body: { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'web' }, spec: { selector: { matchLabels: labels }, template } },
    spec: { revisionHistoryLimit: 10, selector: { matchLabels: labels }, template: templateOut, updateStrategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 1 }, type: 'RollingUpdate' } },
  },
  CronJob: {
    path: `/apis/batch/v1/namespaces/${NS}/cronjobs`,
    body: { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'tick' }, spec: { schedule: '*/5 * * * *', jobTemplate: { metadata: { name: 'tick' }, spec: { template: { spec: { containers: [container], restartPolicy: 'OnFailure' } } } } } },
    spec: {
      concurrencyPolicy: 'Allow', failedJobsHistoryLimit: 1, schedule: '*/5 * * * *', successfulJobsHistoryLimit: 3, suspend: false,
      jobTemplate: { metadata: { creationTimestamp: null, name: 'tick' }, spec: { template: { metadata: { creationTimestamp: null }, spec: { containers: [containerOut], ...podSpecOut, restartPolicy: 'OnFailure' } } } },
    },
  },
};

/** Job and Service: compared without the fields their REST strategies own (selector, clusterIP allocation). */
const JOB: Case = {
  path: `/apis/batch/v1/namespaces/${NS}/jobs`,
  body: { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'pi' }, spec: { template: { spec: { containers: [container], restartPolicy: 'Never' } } } },
  spec: {
    backoffLimit: 6, completionMode: 'NonIndexed', completions: 1, manualSelector: false, parallelism: 1,
    podReplacementPolicy: 'TerminatingOrFailed', suspend: false,
  },
};
const SERVICE: Case = {
  path: `/api/v1/namespaces/${NS}/services`,
  body: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: labels, ports: [{ port: 80 }] } },
  spec: { internalTrafficPolicy: 'Cluster', ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }], selector: labels, sessionAffinity: 'None', type: 'ClusterIP' },
};
/** Fields the service REST storage allocates (issue 6), not defaulting. */
const ALLOCATED = ['clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy'];

describe('defaults through the API', () => {
  let tk: TestKeks;
  let api: ApiClient;

  before(async () => {
    tk = await startTestKeks({ store: 'memory' });
    api = tokenClient(tk);
    const r = await api.request('/api/v1/namespaces', { method: 'POST', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } } });
    assert.equal(r.status, 201, r.text);
  });
  after(async () => {
    await tk?.stop();
  });

  async function createAndGet(c: Case): Promise<Array<Record<string, any>>> {
    const created = await api.request(c.path, { method: 'POST', body: c.body });
    assert.equal(created.status, 201, created.text);
    const name = (c.body.metadata as { name: string }).name;
    const got = await api.request(`${c.path}/${name}`);
    assert.equal(got.status, 200, got.text);
    return [created.json(), got.json()];
  }

  for (const [kind, c] of Object.entries(CASES)) {
    it(`${kind}: the minimal object comes back with the 1.32 defaults`, async () => {
      for (const obj of await createAndGet(c)) {
        // The DefaultTolerationSeconds admission's tolerations on pods are outside these assertions.
        const { tolerations: _tolerations, ...spec } = obj.spec;
        assert.deepEqual(kind === 'Pod' ? spec : obj.spec, c.spec);
      }
    });
  }

  it('Job: the 1.32 defaults, and the template defaulted as a pod template', async () => {
    for (const obj of await createAndGet(JOB)) {
      const { selector: _selector, template: tpl, ...rest } = obj.spec;
      assert.deepEqual(rest, JOB.spec);
      assert.deepEqual(tpl.spec, { containers: [containerOut], ...podSpecOut, restartPolicy: 'Never' });
      assert.equal(tpl.metadata.creationTimestamp, null);
    }
  });

  it('Service: type, sessionAffinity, port protocol and targetPort, internalTrafficPolicy', async () => {
    for (const obj of await createAndGet(SERVICE)) {
      const spec = { ...obj.spec };
      for (const k of ALLOCATED) delete spec[k];
      assert.deepEqual(spec, SERVICE.spec);
    }
  });

  it('Secret: type Opaque; PVC: volumeMode Filesystem', async () => {
    const [secret] = await createAndGet({ path: `/api/v1/namespaces/${NS}/secrets`, body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { a: 'b' } }, spec: {} });
    assert.equal(secret.type, 'Opaque');
    const [, pvc] = await createAndGet({
      path: `/api/v1/namespaces/${NS}/persistentvolumeclaims`,
      body: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } },
      spec: {},
    });
    assert.deepEqual(pvc.spec, { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeMode: 'Filesystem' });
  });

  it('Pod: requests default to limits and quantities come back canonical', async () => {
    const [created] = await createAndGet({
      path: `/api/v1/namespaces/${NS}/pods`,
      body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'sized' }, spec: { containers: [{ ...container, resources: { limits: { cpu: 0.5, memory: '1.5Gi' } } }] } },
      spec: {},
    });
    assert.deepEqual(created.spec.containers[0].resources, { limits: { cpu: '500m', memory: '1536Mi' }, requests: { cpu: '500m', memory: '1536Mi' } });
  });

  it('an update that drops defaulted fields gets them back (PUT is defaulted too)', async () => {
    const path = `/apis/apps/v1/namespaces/${NS}/deployments/web`;
    const cur = (await api.request(path)).json<Record<string, any>>();
    delete cur.spec.strategy;
    delete cur.spec.revisionHistoryLimit;
    delete cur.spec.template.spec.containers[0].imagePullPolicy;
    const put = await api.request(path, { method: 'PUT', body: cur });
    assert.equal(put.status, 200, put.text);
    assert.deepEqual(put.json<Record<string, any>>().spec, CASES.Deployment.spec);
  });
});
