// PodDisruptionBudget status (disruption controller), the pods/eviction subresource and the
// simulated pods/log, over HTTPS on 3 simulated nodes (scheduler + kubelet simulation running).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestKeks, type TestKeks } from '../../src/testing/harness.js';
import type { ApiClient } from '../helpers/api.js';
import { tokenClient } from '../helpers/keks.js';
import { APPS, eventually, getObj, list, NS } from './workloads-helpers.js';

const POLICY = '/apis/policy/v1/namespaces/default';

/** Pods become Ready 3 s after starting (readiness probe delay), so a replacement is not instantly healthy. */
function deployment(name: string, replicas: number): Record<string, unknown> {
  const probe = { exec: { command: ['true'] }, initialDelaySeconds: 3, periodSeconds: 1 };
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27', readinessProbe: probe }] } } },
  };
}

function ready(p: { status?: Record<string, unknown> }): boolean {
  return ((p.status?.conditions as Array<{ type: string; status: string }> | undefined) ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

describe('PodDisruptionBudget status, eviction and pod logs', () => {
  let tk: TestKeks;
  let api: ApiClient;

  before(async () => {
    tk = await startTestKeks({ store: 'memory', nodes: 3 });
    api = tokenClient(tk);
  });
  after(async () => {
    api?.close();
    await tk?.stop();
  });

  it('a 3-replica Deployment with minAvailable 2 → disruptionsAllowed 1; evictions respect it (429 with cause)', async () => {
    assert.equal((await api.post(`${APPS}/deployments`, deployment('web', 3))).status, 201);
    const pdb = await api.post(`${POLICY}/poddisruptionbudgets`, {
      apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web-pdb' }, spec: { minAvailable: 2, selector: { matchLabels: { app: 'web' } } },
    });
    assert.equal(pdb.status, 201, pdb.text);
    const st = await eventually(async () => {
      const o = await getObj(api, `${POLICY}/poddisruptionbudgets/web-pdb`);
      const s = o?.status as Record<string, unknown> | undefined;
      return s?.currentHealthy === 3 ? s : undefined;
    }, 'PDB status with 3 healthy pods', 30_000, 100);
    assert.equal(st.expectedPods, 3);
    assert.equal(st.desiredHealthy, 2);
    assert.equal(st.disruptionsAllowed, 1);
    assert.equal(st.observedGeneration, 1);
    const cond = (st.conditions as Array<Record<string, unknown>>).find((c) => c.type === 'DisruptionAllowed');
    assert.equal(cond?.status, 'True');
    assert.equal(cond?.reason, 'SufficientPods');

    const pods = (await list(api, `${NS}/pods`, 'app=web')).filter(ready);
    assert.equal(pods.length, 3);
    const evict = (name: string): Promise<{ status: number; text: string; json<T>(): T }> => api.post(`${NS}/pods/${name}/eviction`, {
      apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: 'default' },
    });
    // One disruption allowed: the first eviction uses it, the second is refused until a replacement is ready.
    const ok = await evict(pods[0].metadata.name);
    assert.equal(ok.status, 201, ok.text);
    assert.equal(ok.json<{ status: string }>().status, 'Success');
    const refused = await evict(pods[1].metadata.name);
    assert.equal(refused.status, 429, refused.text);
    const s2 = refused?.json<{ reason: string; message: string; details: { causes: Array<{ reason: string; message: string }> } }>();
    assert.equal(s2?.reason, 'TooManyRequests');
    assert.equal(s2?.message, 'Cannot evict pod as it would violate the pod\'s disruption budget.');
    assert.equal(s2?.details.causes[0].reason, 'DisruptionBudget');
    assert.match(s2?.details.causes[0].message ?? '', /^The disruption budget web-pdb needs 2 healthy pods and has [0-9] currently$/);
    // The Deployment replaces the evicted pod and the budget recovers.
    await eventually(async () => {
      const o = await getObj(api, `${POLICY}/poddisruptionbudgets/web-pdb`);
      const s = o?.status as Record<string, unknown> | undefined;
      return s?.currentHealthy === 3 && s.disruptionsAllowed === 1 && s.expectedPods === 3 ? s : undefined;
    }, 'PDB recovers after the replacement pod is ready', 30_000, 100);
    // minAvailable 3 of 3: no disruption allowed, the condition says InsufficientPods.
    const mp = await api.patch(`${POLICY}/poddisruptionbudgets/web-pdb`, { spec: { minAvailable: 3 } }, 'application/merge-patch+json');
    assert.equal(mp.status, 200, mp.text);
    const st3 = await eventually(async () => {
      const s = (await getObj(api, `${POLICY}/poddisruptionbudgets/web-pdb`))?.status as Record<string, unknown> | undefined;
      return s?.observedGeneration === 2 ? s : undefined;
    }, 'PDB observed generation 2', 30_000, 100);
    assert.equal(st3.disruptionsAllowed, 0);
    assert.equal((st3.conditions as Array<Record<string, unknown>>)[0].reason, 'InsufficientPods');
    const live = (await list(api, `${NS}/pods`, 'app=web')).filter((p) => !p.metadata.deletionTimestamp);
    const third = await evict(live[0].metadata.name);
    assert.equal(third.status, 429, third.text);
    assert.equal(third.json<{ details: { causes: Array<{ message: string }> } }>().details.causes[0].message, 'The disruption budget web-pdb needs 3 healthy pods and has 3 currently');
  });

  it('two PDBs selecting one pod → 500; a pod that is not running is evicted without a PDB check', async () => {
    const pod = (name: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
      apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: 'dup' } }, spec: { containers: [{ name: 'c', image: 'busybox' }], ...extra },
    });
    assert.equal((await api.post(`${NS}/pods`, pod('dup-1'))).status, 201);
    for (const n of ['dup-a', 'dup-b']) {
      const r = await api.post(`${POLICY}/poddisruptionbudgets`, { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: n }, spec: { maxUnavailable: 0, selector: { matchLabels: { app: 'dup' } } } });
      assert.equal(r.status, 201, r.text);
    }
    await eventually(async () => ((await getObj(api, `${NS}/pods/dup-1`))?.status?.phase === 'Running' ? true : undefined), 'dup-1 running', 20_000, 100);
    const r = await api.post(`${NS}/pods/dup-1/eviction`, { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'dup-1' } });
    assert.equal(r.status, 500, r.text);
    assert.equal(r.json<{ message: string }>().message, 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
    // Unschedulable → Pending forever: evictable despite maxUnavailable 0.
    assert.equal((await api.post(`${NS}/pods`, pod('dup-pending', { nodeSelector: { nowhere: 'true' } }))).status, 201);
    const p = await api.post(`${NS}/pods/dup-pending/eviction`, { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'dup-pending' } });
    assert.equal(p.status, 201, p.text);
  });

  it('legacy discovery lists pods/eviction as policy/v1 Eviction', async () => {
    const r = await api.get('/api/v1');
    const res = r.json<{ resources: Array<{ name: string; group?: string; version?: string; kind: string; verbs: string[] }> }>().resources;
    const ev = res.find((x) => x.name === 'pods/eviction');
    assert.ok(ev, 'pods/eviction listed');
    assert.equal(ev.group, 'policy');
    assert.equal(ev.version, 'v1');
    assert.equal(ev.kind, 'Eviction');
    assert.deepEqual(ev.verbs, ['create']);
  });

  it('pods/log: simulated lines, container choice, tailLines, timestamps, limitBytes, previous, waiting, exec refusal', async () => {
    const two = await api.post(`${NS}/pods`, {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'logs' }, spec: { containers: [{ name: 'a', image: 'nginx:1.27' }, { name: 'b', image: 'redis:7' }] },
    });
    assert.equal(two.status, 201, two.text);
    await eventually(async () => ((await getObj(api, `${NS}/pods/logs`))?.status?.phase === 'Running' ? true : undefined), 'logs running', 20_000, 100);
    const none = await api.get(`${NS}/pods/logs/log`);
    assert.equal(none.status, 400);
    assert.equal(none.json<{ message: string }>().message, 'a container name must be specified for pod logs, choose one of: [a b]');
    const a = await api.get(`${NS}/pods/logs/log?container=a`);
    assert.equal(a.status, 200, a.text);
    assert.match(String(a.headers['content-type']), /^text\/plain/);
    assert.match(a.text, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ keks: container a started \(image nginx:1\.27\)\n$/);
    const b = await api.get(`${NS}/pods/logs/log?container=b&timestamps=true`);
    assert.match(b.text, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z \S+ keks: container b started \(image redis:7\)\n$/);
    assert.equal((await api.get(`${NS}/pods/logs/log?container=a&tailLines=0`)).text, '');
    assert.equal((await api.get(`${NS}/pods/logs/log?container=a&limitBytes=4`)).text, a.text.slice(0, 4));
    const prev = await api.get(`${NS}/pods/logs/log?container=a&previous=true`);
    assert.equal(prev.status, 400);
    assert.equal(prev.json<{ message: string }>().message, 'previous terminated container "a" in pod "logs" not found');
    const ex = await api.post(`${NS}/pods/logs/exec?container=a&command=ls`, {});
    assert.equal(ex.status, 400);
    assert.equal(ex.json<{ message: string }>().message, 'keks runs simulated containers: exec is not supported by the simulated runtime');

    assert.equal((await api.post(`${NS}/pods`, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'stuck' }, spec: { nodeSelector: { nowhere: 'x' }, containers: [{ name: 'c', image: 'nginx' }] } })).status, 201);
    const w = await api.get(`${NS}/pods/stuck/log`);
    assert.equal(w.status, 400);
    assert.equal(w.json<{ message: string }>().message, 'container "c" in pod "stuck" is waiting to start: ContainerCreating');
  });
});
