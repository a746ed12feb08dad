// Deployments and ReplicaSets through the in-process controllers (memory store, no nodes: the
// test plays kubelet by marking pods Ready through pods/status). Covers the RS → pods path,
// rolling updates bounded by maxSurge/maxUnavailable, revisions, rollback by template, scaling,
// Recreate, conditions and events.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestKeks, type TestKeks } from '../../src/testing/harness.js';
import type { ApiClient } from '../helpers/api.js';
import { tokenClient } from '../helpers/keks.js';
import { APPS, condition, eventually, getObj, list, markAllReady, NS, podsOf, rsOf, type Obj } from './workloads-helpers.js';

const MERGE = 'application/merge-patch+json';

function deployment(name: string, replicas: number, image: string, strategy?: Record<string, unknown>): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name },
    spec: { replicas, selector: { matchLabels: { app: name } }, strategy, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image }] } } },
  };
}

describe('workloads: Deployment and ReplicaSet controllers', () => {
  let tk: TestKeks;
  let api: ApiClient;

  before(async () => {
    tk = await startTestKeks({ store: 'memory' });
    api = tokenClient(tk);
  });
  after(async () => {
    api?.close();
    await tk?.stop();
  });

  it('a ReplicaSet creates owned pods named <rs>-xxxxx, deletes extras, adopts orphans', async () => {
    const rsBody = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'plain' }, spec: { replicas: 3, selector: { matchLabels: { rs: 'plain' } }, template: { metadata: { labels: { rs: 'plain' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } };
    const orphan = await api.post(`${NS}/pods`, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'stray', labels: { rs: 'plain' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    assert.equal(orphan.status, 201, orphan.text);
    const created = await api.post(`${APPS}/replicasets`, rsBody);
    assert.equal(created.status, 201, created.text);
    const uid = created.json().metadata.uid as string;
    const pods = await eventually(async () => { const p = await podsOf(api, uid); return p.length === 3 ? p : undefined; }, '3 pods');
    assert.ok(pods.some((p) => p.metadata.name === 'stray'), 'the matching orphan was adopted');
    for (const p of pods) {
      if (p.metadata.name !== 'stray') assert.match(p.metadata.name, /^plain-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      const ref = p.metadata.ownerReferences!.find((r) => r.uid === uid)!;
      assert.equal(ref.kind, 'ReplicaSet');
      assert.equal(ref.blockOwnerDeletion, true);
      assert.equal(p.metadata.labels?.rs, 'plain');
    }
    await markAllReady(api, 'rs=plain');
    const rs = await eventually(async () => {
      const o = await getObj(api, `${APPS}/replicasets/plain`);
      return o?.status?.readyReplicas === 3 && o.status.availableReplicas === 3 ? o : undefined;
    }, 'ready status');
    assert.equal(rs.status?.replicas, 3);
    assert.equal(rs.status?.fullyLabeledReplicas, 3);
    assert.equal(rs.status?.observedGeneration, 1);

    // Scale down: the not-ready pod goes first.
    const extra = await api.patch(`${APPS}/replicasets/plain`, { spec: { replicas: 4 } }, MERGE);
    assert.equal(extra.status, 200);
    const four = await eventually(async () => { const p = (await podsOf(api, uid)).filter((x) => !x.metadata.deletionTimestamp); return p.length === 4 ? p : undefined; }, '4 pods');
    const unready = four.find((p) => !(p.status?.conditions as Array<{ type: string }> | undefined)?.some((c) => c.type === 'Ready'))!;
    assert.ok(unready);
    await api.patch(`${APPS}/replicasets/plain`, { spec: { replicas: 3 } }, MERGE);
    await eventually(async () => (await getObj(api, `${NS}/pods/${unready.metadata.name}`)) === undefined, 'unready pod deleted first');
    assert.equal((await podsOf(api, uid)).length, 3);

    // Events.
    const events = await eventually(async () => {
      const e = (await list(api, `${NS}/events`)) as unknown as Array<{ reason: string; message: string; involvedObject: { name: string; kind: string } }>;
      const mine = e.filter((x) => x.involvedObject.name === 'plain');
      return mine.some((x) => x.reason === 'SuccessfulDelete') ? mine : undefined;
    }, 'events');
    assert.ok(events.some((e) => e.reason === 'SuccessfulCreate' && /^Created pod: plain-/.test(e.message) && e.involvedObject.kind === 'ReplicaSet'));
    assert.ok(events.some((e) => e.reason === 'SuccessfulDelete' && e.message === `Deleted pod: ${unready.metadata.name}`));
  });

  it('a Deployment rolls out, respects maxUnavailable/maxSurge, keeps revisions, rolls back by template', async () => {
    const created = await api.post(`${APPS}/deployments`, deployment('web', 4, 'nginx:1', { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } }));
    assert.equal(created.status, 201, created.text);
    const uid = created.json().metadata.uid as string;
    const [rs1] = await eventually(async () => { const r = await rsOf(api, uid); return r.length === 1 ? r : undefined; }, 'first RS');
    assert.match(rs1!.metadata.name, /^web-[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
    const hash = rs1!.metadata.labels?.['pod-template-hash'];
    assert.equal(rs1!.metadata.name, `web-${hash}`);
    assert.equal(rs1!.metadata.annotations?.['deployment.kubernetes.io/revision'], '1');
    assert.equal(rs1!.metadata.annotations?.['deployment.kubernetes.io/desired-replicas'], '4');
    assert.equal(rs1!.metadata.annotations?.['deployment.kubernetes.io/max-replicas'], '5');
    await eventually(async () => (await podsOf(api, rs1!.metadata.uid)).length === 4, '4 pods');
    await markAllReady(api, 'app=web');
    const done = await eventually(async () => {
      const d = await getObj(api, `${APPS}/deployments/web`);
      return d?.status?.availableReplicas === 4 && condition(d, 'Progressing')?.reason === 'NewReplicaSetAvailable' ? d : undefined;
    }, 'rollout complete');
    assert.equal(done.metadata.annotations?.['deployment.kubernetes.io/revision'], '1');
    assert.deepEqual(condition(done, 'Available'), { ...condition(done, 'Available')!, status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' });
    assert.equal(condition(done, 'Progressing')?.message, `ReplicaSet "${rs1!.metadata.name}" has successfully progressed.`);
    assert.equal(done.status?.updatedReplicas, 4);
    assert.equal(done.status?.observedGeneration, done.metadata.generation);

    // Change the image: a new RS; never more than 5 pods, never fewer than 3 available.
    assert.equal((await api.patch(`${APPS}/deployments/web`, { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:2' }] } } } }, 'application/strategic-merge-patch+json')).status, 200);
    let maxTotal = 0;
    let minAvailable = Infinity;
    let rs2: Obj | undefined;
    for (let i = 0; i < 200; i++) {
      const rss = await rsOf(api, uid);
      const total = rss.reduce((n, r) => n + (r.spec.replicas as number), 0);
      const avail = rss.reduce((n, r) => n + ((r.status?.availableReplicas as number | undefined) ?? 0), 0);
      maxTotal = Math.max(maxTotal, total);
      minAvailable = Math.min(minAvailable, avail);
      rs2 = rss.find((r) => r.metadata.name !== rs1!.metadata.name);
      if (rs2 && rs2.status?.availableReplicas === 4 && rss.every((r) => r === rs2 || r.spec.replicas === 0)) break;
      await markAllReady(api, 'app=web');
      await new Promise((r) => setTimeout(r, 30));
    }
    assert.ok(rs2, 'a second ReplicaSet');
    assert.equal(rs2!.status?.availableReplicas, 4, 'new RS fully available');
    assert.ok(maxTotal <= 5, `surge bound: saw ${maxTotal} desired pods`);
    assert.ok(minAvailable >= 3, `unavailability bound: saw ${minAvailable} available`);
    assert.equal(rs2!.metadata.annotations?.['deployment.kubernetes.io/revision'], '2');

    // Roll back (what `kubectl rollout undo` does): write revision 1's template back.
    const old = await getObj(api, `${APPS}/replicasets/${rs1!.metadata.name}`);
    const tpl = structuredClone(old!.spec.template) as { metadata: { labels: Record<string, string> } };
    delete tpl.metadata.labels['pod-template-hash'];
    assert.equal((await api.patch(`${APPS}/deployments/web`, [{ op: 'replace', path: '/spec/template', value: tpl }], 'application/json-patch+json')).status, 200);
    const back = await eventually(async () => {
      const r = await getObj(api, `${APPS}/replicasets/${rs1!.metadata.name}`);
      await markAllReady(api, 'app=web');
      return r?.metadata.annotations?.['deployment.kubernetes.io/revision'] === '3' && r.status?.availableReplicas === 4 ? r : undefined;
    }, 'revision 1 became revision 3', 15_000);
    assert.equal(back.metadata.annotations?.['deployment.kubernetes.io/revision-history'], '1');
    assert.equal((await rsOf(api, uid)).length, 2, 'no third ReplicaSet');

    // Scale: the Deployment's only active RS follows; a ScalingReplicaSet event says so.
    await api.patch(`${APPS}/deployments/web`, { spec: { replicas: 2 } }, MERGE);
    await eventually(async () => (await getObj(api, `${APPS}/replicasets/${rs1!.metadata.name}`))?.spec.replicas === 2, 'scaled down');
    const events = await eventually(async () => {
      const e = (await list(api, `${NS}/events`)) as unknown as Array<{ reason: string; message: string; involvedObject: { name: string } }>;
      const mine = e.filter((x) => x.involvedObject.name === 'web' && x.reason === 'ScalingReplicaSet').map((x) => x.message);
      return mine.includes(`Scaled down replica set ${rs1!.metadata.name} from 4 to 2`) ? mine : undefined;
    }, 'scaling events');
    assert.ok(events.includes(`Scaled up replica set ${rs1!.metadata.name} from 0 to 4`), events.join('\n'));
  });

  it('Recreate scales the old ReplicaSet to zero before the new one starts; pause holds rollouts', async () => {
    const created = await api.post(`${APPS}/deployments`, deployment('rec', 2, 'a:1', { type: 'Recreate' }));
    const uid = created.json().metadata.uid as string;
    await eventually(async () => (await podsOf(api, (await rsOf(api, uid))[0]?.metadata.uid ?? '')).length === 2, 'pods');
    await markAllReady(api, 'app=rec');
    await api.patch(`${APPS}/deployments/rec`, { spec: { template: { spec: { containers: [{ name: 'c', image: 'a:2' }] } } } }, 'application/strategic-merge-patch+json');
    const rss = await eventually(async () => { const r = await rsOf(api, uid); return r.length === 2 && r.every((x) => x.spec.replicas === (x.metadata.annotations?.['deployment.kubernetes.io/revision'] === '2' ? 2 : 0)) ? r : undefined; }, 'recreated', 15_000);
    assert.equal(rss.length, 2);

    // Pause: template changes do not roll; the condition says paused. Resume rolls.
    await api.patch(`${APPS}/deployments/rec`, { spec: { paused: true } }, MERGE);
    await eventually(async () => condition((await getObj(api, `${APPS}/deployments/rec`))!, 'Progressing')?.reason === 'DeploymentPaused', 'paused condition');
    await api.patch(`${APPS}/deployments/rec`, { spec: { template: { spec: { containers: [{ name: 'c', image: 'a:3' }] } } } }, 'application/strategic-merge-patch+json');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await rsOf(api, uid)).length, 2, 'no rollout while paused');
    await api.patch(`${APPS}/deployments/rec`, { spec: { paused: false } }, MERGE);
    await eventually(async () => (await rsOf(api, uid)).length === 3, 'rollout after resume', 15_000);
  });

  it('progressDeadlineSeconds: no progress → Progressing=False ProgressDeadlineExceeded', async () => {
    const body = deployment('stuck', 1, 'x') as { spec: Record<string, unknown> };
    body.spec.progressDeadlineSeconds = 1;
    await api.post(`${APPS}/deployments`, body);
    const d = await eventually(async () => {
      const o = await getObj(api, `${APPS}/deployments/stuck`);
      return o && condition(o, 'Progressing')?.reason === 'ProgressDeadlineExceeded' ? o : undefined;
    }, 'deadline exceeded', 8_000);
    assert.equal(condition(d, 'Progressing')?.status, 'False');
    assert.match(condition(d, 'Progressing')!.message, /^ReplicaSet "stuck-\w+" has timed out progressing\.$/);
    assert.equal(condition(d, 'Available')?.reason, 'MinimumReplicasUnavailable');
  });
});
