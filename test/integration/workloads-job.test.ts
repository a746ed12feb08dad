// Jobs through the in-process Job and TTL-after-finished controllers: with simulated nodes the
// pods run for `keks.dev/run-time` and succeed; without nodes the test plays kubelet and marks
// pods Failed through pods/status. Covers the generated selector/labels, pod names, completions
// with parallelism, finalizer tracking, Indexed jobs, backoffLimit, activeDeadlineSeconds,
// ttlSecondsAfterFinished and events.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestKeks, type TestKeks } from '../../src/testing/harness.js';
import type { ApiClient } from '../helpers/api.js';
import { tokenClient } from '../helpers/keks.js';
import { FakeClock } from '../../src/util/clock.js';
import { condition, eventually, getObj, list, NS, podsOf, type Obj } from './workloads-helpers.js';

const BATCH = '/apis/batch/v1/namespaces/default';
const MERGE = 'application/merge-patch+json';

function job(name: string, spec: Record<string, unknown>, runTime = '300ms'): Record<string, unknown> {
  return {
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name },
    spec: { ...spec, template: { metadata: { annotations: { 'keks.dev/run-time': runTime } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } },
  };
}

async function events(api: ApiClient, name: string): Promise<Array<{ reason: string; message: string; type: string }>> {
  const r = await api.get(`${NS}/events?fieldSelector=${encodeURIComponent(`involvedObject.name=${name}`)}`);
  return (r.json().items as Array<{ reason: string; message: string; type: string }>);
}

describe('workloads: Job controller with simulated nodes', () => {
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

  it('generates the selector and labels, runs 3 completions 2 at a time to Complete', async () => {
    const r = await api.post(`${BATCH}/jobs`, job('three', { completions: 3, parallelism: 2 }));
    assert.equal(r.status, 201, r.text);
    const created = r.json() as Obj;
    const uid = created.metadata.uid;
    assert.deepEqual((created.spec.selector as { matchLabels: Record<string, string> }).matchLabels, { 'batch.kubernetes.io/controller-uid': uid });
    const labels = ((created.spec.template as { metadata: { labels: Record<string, string> } }).metadata.labels);
    assert.equal(labels['batch.kubernetes.io/job-name'], 'three');
    assert.equal(labels['job-name'], 'three');
    assert.equal(labels['controller-uid'], uid);
    assert.equal(labels['batch.kubernetes.io/controller-uid'], uid);

    // Never more than 2 active at once, while running.
    let maxActive = 0;
    const done = await eventually(async () => {
      const pods = await podsOf(api, uid);
      const running = pods.filter((p) => !['Succeeded', 'Failed'].includes(String(p.status?.phase)) && !p.metadata.deletionTimestamp);
      maxActive = Math.max(maxActive, running.length);
      const j = await getObj(api, `${BATCH}/jobs/three`);
      return j && condition(j, 'Complete')?.status === 'True' ? j : undefined;
    }, 'job three Complete', 20_000, 30);
    assert.ok(maxActive <= 2, `at most 2 active, saw ${maxActive}`);
    const st = done.status as Record<string, unknown>;
    assert.equal(st.succeeded, 3);
    assert.equal(st.active, undefined);
    assert.equal(st.ready, 0);
    assert.equal(st.terminating, 0);
    assert.deepEqual(st.uncountedTerminatedPods, {});
    assert.ok(st.startTime && st.completionTime);
    assert.equal(condition(done, 'SuccessCriteriaMet')?.status, 'True');
    assert.equal(condition(done, 'Complete')?.reason, 'CompletionsReached');
    const pods = await podsOf(api, uid);
    assert.equal(pods.length, 3);
    for (const p of pods) {
      assert.match(p.metadata.name, /^three-[a-z0-9]{5}$/);
      assert.ok(!(p.metadata.finalizers ?? []).includes('batch.kubernetes.io/job-tracking'), 'finalizer removed');
      assert.equal(p.metadata.labels?.['batch.kubernetes.io/job-name'], 'three');
    }
    const ev = await eventually(async () => { const e = await events(api, 'three'); return e.some((x) => x.reason === 'Completed') ? e : undefined; }, 'Completed event');
    assert.equal(ev.filter((e) => e.reason === 'SuccessfulCreate').length, 3);
    assert.ok(ev.some((e) => e.reason === 'Completed' && e.message === 'Job completed'));
  });

  it('Indexed: pods <job>-<index>-xxxxx with the completion index; completedIndexes', async () => {
    const r = await api.post(`${BATCH}/jobs`, job('idx', { completions: 3, parallelism: 3, completionMode: 'Indexed' }));
    assert.equal(r.status, 201, r.text);
    const done = await eventually(async () => {
      const j = await getObj(api, `${BATCH}/jobs/idx`);
      return j && condition(j, 'Complete') ? j : undefined;
    }, 'indexed job Complete', 20_000);
    assert.equal((done.status as Record<string, unknown>).completedIndexes, '0-2');
    assert.equal((done.status as Record<string, unknown>).succeeded, 3);
    const pods = await podsOf(api, done.metadata.uid);
    const idx = pods.map((p) => p.metadata.annotations?.['batch.kubernetes.io/job-completion-index']).sort();
    assert.deepEqual(idx, ['0', '1', '2']);
    for (const p of pods) {
      const i = p.metadata.annotations?.['batch.kubernetes.io/job-completion-index'];
      assert.match(p.metadata.name, new RegExp(`^idx-${i}-[a-z0-9]{5}$`));
      assert.equal(p.metadata.labels?.['batch.kubernetes.io/job-completion-index'], i);
      assert.equal(p.spec.hostname, `idx-${i}`);
    }
  });

  it('ttlSecondsAfterFinished: the finished Job is deleted', async () => {
    const r = await api.post(`${BATCH}/jobs`, job('ttl', { ttlSecondsAfterFinished: 0 }));
    assert.equal(r.status, 201, r.text);
    await eventually(async () => (await api.get(`${BATCH}/jobs/ttl`)).status === 404, 'ttl job deleted', 20_000);
  });

  it('activeDeadlineSeconds: FailureTarget then Failed DeadlineExceeded, pods deleted', async () => {
    const r = await api.post(`${BATCH}/jobs`, job('slow', { activeDeadlineSeconds: 1 }, '1h'));
    assert.equal(r.status, 201, r.text);
    const failed = await eventually(async () => {
      const j = await getObj(api, `${BATCH}/jobs/slow`);
      return j && condition(j, 'Failed') ? j : undefined;
    }, 'deadline Failed', 20_000);
    assert.equal(condition(failed, 'Failed')?.reason, 'DeadlineExceeded');
    assert.equal(condition(failed, 'Failed')?.message, 'Job was active longer than specified deadline');
    assert.equal(condition(failed, 'FailureTarget')?.reason, 'DeadlineExceeded');
    assert.equal((failed.status as Record<string, unknown>).failed, 1);
    assert.equal((failed.status as Record<string, unknown>).completionTime, undefined);
    await eventually(async () => (await podsOf(api, failed.metadata.uid)).length === 0, 'pods gone', 20_000);
  });

  it('podFailurePolicy FailJob: a simulated exit code 42 fails the Job at once (reason PodFailurePolicy)', async () => {
    const body = job('exit42', { backoffLimit: 6, podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } }] } }, '1h');
    const tpl = (body.spec as { template: { metadata: { annotations: Record<string, string> } } }).template;
    tpl.metadata.annotations = { 'keks.dev/fail-after': '200ms', 'keks.dev/exit-code': '42' };
    const r = await api.post(`${BATCH}/jobs`, body);
    assert.equal(r.status, 201, r.text);
    const failed = await eventually(async () => {
      const j = await getObj(api, `${BATCH}/jobs/exit42`);
      return j && condition(j, 'Failed') ? j : undefined;
    }, 'PodFailurePolicy Failed', 20_000);
    assert.equal(condition(failed, 'Failed')?.reason, 'PodFailurePolicy');
    assert.match(condition(failed, 'Failed')?.message ?? '', /^Container c for pod default\/exit42-[a-z0-9]{5} failed with exit code 42 matching FailJob rule at index 0$/);
    assert.equal((failed.status as Record<string, unknown>).failed, 1);
  });
});

describe('workloads: Job controller without nodes (test plays kubelet, FakeClock for the pod failure backoff)', () => {
  let tk: TestKeks;
  let api: ApiClient;
  const clock = new FakeClock(Date.now());

  before(async () => {
    tk = await startTestKeks({ store: 'memory', clock, controllers: ['job', 'garbagecollector'] });
    api = tokenClient(tk);
  });
  after(async () => {
    api?.close();
    await tk?.stop();
  });

  async function failPod(name: string): Promise<void> {
    const r = await api.patch(`${NS}/pods/${name}/status`, { status: { phase: 'Failed' } }, MERGE);
    assert.equal(r.status, 200, r.text);
  }

  it('backoffLimit: failed pods are replaced until the limit, then Failed BackoffLimitExceeded', async () => {
    const r = await api.post(`${BATCH}/jobs`, job('flaky', { backoffLimit: 1, parallelism: 1, completions: 1 }));
    assert.equal(r.status, 201, r.text);
    const uid = (r.json() as Obj).metadata.uid;
    const first = await eventually(async () => { const p = await podsOf(api, uid); return p.length === 1 ? p[0] : undefined; }, 'first pod');
    assert.ok(first.metadata.finalizers?.includes('batch.kubernetes.io/job-tracking'));
    await failPod(first.metadata.name);
    // failed 1 ≤ backoffLimit 1: the failure is counted and the finalizer released at once; the
    // replacement waits for the pod failure backoff (10 s after one failure).
    await eventually(async () => ((await getObj(api, `${BATCH}/jobs/flaky`))?.status as Record<string, unknown> | undefined)?.failed === 1, 'failed counted');
    clock.step(9_000);
    await new Promise((r) => setTimeout(r, 150));
    assert.equal((await podsOf(api, uid)).length, 1, 'no replacement within the 10 s backoff');
    clock.step(1_100);
    const second = await eventually(async () => {
      const p = (await podsOf(api, uid)).filter((x) => x.metadata.name !== first.metadata.name);
      return p.length === 1 ? p[0] : undefined;
    }, 'replacement pod');
    await eventually(async () => {
      const j = await getObj(api, `${BATCH}/jobs/flaky`);
      return (j?.status as Record<string, unknown> | undefined)?.failed === 1;
    }, 'failed counted');
    const firstNow = (await list(api, `${NS}/pods`)).find((p) => p.metadata.name === first.metadata.name);
    assert.ok(!firstNow?.metadata.finalizers?.includes('batch.kubernetes.io/job-tracking'));
    await failPod(second.metadata.name);
    const failed = await eventually(async () => {
      const j = await getObj(api, `${BATCH}/jobs/flaky`);
      return j && condition(j, 'Failed') ? j : undefined;
    }, 'Failed');
    assert.equal(condition(failed, 'Failed')?.reason, 'BackoffLimitExceeded');
    assert.equal(condition(failed, 'Failed')?.message, 'Job has reached the specified backoff limit');
    assert.equal((failed.status as Record<string, unknown>).failed, 2);
    assert.equal((await podsOf(api, uid)).length, 2, 'no third pod');
    const ev = await eventually(async () => { const e = await events(api, 'flaky'); return e.some((x) => x.reason === 'BackoffLimitExceeded') ? e : undefined; }, 'event');
    assert.equal(ev.find((x) => x.reason === 'BackoffLimitExceeded')?.type, 'Warning');
  });

  it('a pod deleted while running is counted failed once and replaced (finalizer kept it visible)', async () => {
    const r = await api.post(`${BATCH}/jobs`, job('del', { backoffLimit: 3 }));
    const uid = (r.json() as Obj).metadata.uid;
    const pod = await eventually(async () => { const p = await podsOf(api, uid); return p.length === 1 ? p[0] : undefined; }, 'pod');
    const d = await api.delete(`${NS}/pods/${pod.metadata.name}`);
    assert.ok(d.status === 200 || d.status === 202, d.text);
    await eventually(async () => ((await getObj(api, `${BATCH}/jobs/del`))?.status as Record<string, unknown> | undefined)?.failed === 1, 'failed counted');
    clock.step(10_100);
    await eventually(async () => {
      const j = await getObj(api, `${BATCH}/jobs/del`);
      return (j?.status as Record<string, unknown> | undefined)?.failed === 1 && (await podsOf(api, uid)).length === 1;
    }, 'counted failed and replaced');
    await eventually(async () => (await api.get(`${NS}/pods/${pod.metadata.name}`)).status === 404, 'deleted pod gone');
  });

  it('manualSelector: a matching orphan pod is adopted (controller ref + tracking finalizer) and counts', async () => {
    const orphan = await api.post(`${NS}/pods`, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'stray-job-pod', labels: { app: 'adopt' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } });
    assert.equal(orphan.status, 201, orphan.text);
    const body = job('adopter', { manualSelector: true, selector: { matchLabels: { app: 'adopt' } } });
    (body.spec as { template: { metadata: Record<string, unknown> } }).template.metadata.labels = { app: 'adopt' };
    const r = await api.post(`${BATCH}/jobs`, body);
    assert.equal(r.status, 201, r.text);
    const uid = (r.json() as Obj).metadata.uid;
    assert.deepEqual((r.json() as Obj).spec.selector, { matchLabels: { app: 'adopt' } }, 'no generated selector');
    const adopted = await eventually(async () => (await podsOf(api, uid)).find((p) => p.metadata.name === 'stray-job-pod'), 'adopted');
    assert.ok(adopted.metadata.finalizers?.includes('batch.kubernetes.io/job-tracking'));
    await new Promise((res) => setTimeout(res, 100));
    assert.equal((await podsOf(api, uid)).length, 1, 'the adopted pod is the one active pod');
    await api.patch(`${NS}/pods/stray-job-pod/status`, { status: { phase: 'Succeeded' } }, MERGE);
    await eventually(async () => { const j = await getObj(api, `${BATCH}/jobs/adopter`); return j && condition(j, 'Complete'); }, 'Complete');
  });

  it('deleting a Job releases its pods\' tracking finalizers so the garbage collector can remove them', async () => {
    const r = await api.post(`${BATCH}/jobs`, job('gone', { parallelism: 2, completions: 2 }));
    const uid = (r.json() as Obj).metadata.uid;
    const pods = await eventually(async () => { const p = await podsOf(api, uid); return p.length === 2 ? p : undefined; }, '2 pods');
    const d = await api.delete(`${BATCH}/jobs/gone`, { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' });
    assert.equal(d.status, 200, d.text);
    for (const p of pods) await eventually(async () => (await api.get(`${NS}/pods/${p.metadata.name}`)).status === 404, `${p.metadata.name} gone`);
  });

  it('suspend: no pods while suspended; resume creates them', async () => {
    const r = await api.post(`${BATCH}/jobs`, job('sus', { suspend: true, parallelism: 2, completions: 4 }));
    const uid = (r.json() as Obj).metadata.uid;
    const j = await eventually(async () => { const x = await getObj(api, `${BATCH}/jobs/sus`); return x && condition(x, 'Suspended') ? x : undefined; }, 'Suspended');
    assert.equal(condition(j, 'Suspended')?.reason, 'JobSuspended');
    assert.equal((await podsOf(api, uid)).length, 0);
    await api.patch(`${BATCH}/jobs/sus`, { spec: { suspend: false } }, MERGE);
    await eventually(async () => (await podsOf(api, uid)).length === 2, '2 pods after resume');
  });
});
