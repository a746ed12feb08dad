// Deployments through the real kubectl: create → ReplicaSet → pods, rollout status, scale,
// set image (maxUnavailable respected, watched through the ReplicaSets), rollout history / undo /
// restart, events, and delete with background, orphan and foreground cascading. No nodes run
// here: a stand-in kubelet loop marks pods Ready through pods/status.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestKeks, type TestKeks } from '../../src/testing/harness.js';
import { eventually, type ApiClient } from '../helpers/api.js';
import { tokenClient } from '../helpers/keks.js';
import { Kubectl, kubectlSkip, tableRows } from '../helpers/kubectl.js';
import { APPS, getObj, markAllReady, podsOf, rsOf, type Obj } from '../integration/workloads-helpers.js';

describe('kubectl workloads against keks', { skip: kubectlSkip }, () => {
  let tk: TestKeks;
  let k: Kubectl;
  let api: ApiClient;
  let kubelet: NodeJS.Timeout | undefined;
  let marking = false;

  before(async () => {
    tk = await startTestKeks({ store: 'sqlite' });
    k = new Kubectl(tk.kubeconfig);
    api = tokenClient(tk);
    kubelet = setInterval(() => {
      if (marking) return;
      marking = true;
      void markAllReady(api).catch(() => undefined).finally(() => { marking = false; });
    }, 40);
  });
  after(async () => {
    if (kubelet) clearInterval(kubelet);
    api?.close();
    k?.dispose();
    await tk?.stop();
  });

  async function deploymentUid(name: string): Promise<string> {
    return (await getObj(api, `${APPS}/deployments/${name}`))!.metadata.uid;
  }

  it('create deployment → ReplicaSet and 3 owned pods; rollout status returns; scale up and down', async () => {
    assert.match(await k.ok(['create', 'deployment', 'web', '--image=nginx', '--replicas=3']), /deployment.apps\/web created/);
    const uid = await deploymentUid('web');
    const [rs] = await eventually(async () => { const r = await rsOf(api, uid); return r.length === 1 ? r : undefined; }, 'RS');
    await eventually(async () => (await podsOf(api, rs!.metadata.uid)).length === 3, '3 pods');
    const out = await k.ok(['rollout', 'status', 'deployment/web', '--timeout=20s'], { timeoutMs: 25_000 });
    assert.match(out, /deployment "web" successfully rolled out/);
    const rsTable = tableRows(await k.ok(['get', 'rs']));
    assert.deepEqual(rsTable[0], ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE']);
    assert.deepEqual(rsTable.find((r) => r[0] === rs!.metadata.name)?.slice(1, 4), ['3', '3', '3']);
    const dTable = tableRows(await k.ok(['get', 'deployment', 'web']));
    assert.deepEqual(dTable[1]?.slice(0, 4), ['web', '3/3', '3', '3']);

    await k.ok(['scale', 'deployment', 'web', '--replicas=5']);
    await eventually(async () => (await podsOf(api, rs!.metadata.uid)).length === 5, '5 pods');
    await k.ok(['scale', 'deployment', 'web', '--replicas=4']);
    await eventually(async () => (await podsOf(api, rs!.metadata.uid)).filter((p) => !p.metadata.deletionTimestamp).length === 4, '4 pods');
    await k.ok(['rollout', 'status', 'deployment/web', '--timeout=20s'], { timeoutMs: 25_000 });
  });

  it('set image rolls with maxUnavailable respected; history, undo and restart', async () => {
    const uid = await deploymentUid('web');
    // Default strategy: 25% of 4 → maxSurge 1, maxUnavailable 1.
    await k.ok(['set', 'image', 'deployment/web', 'nginx=nginx:1.27']);
    let minAvailable = Infinity;
    let maxDesired = 0;
    const deadline = Date.now() + 20_000;
    let rss: Obj[] = [];
    while (Date.now() < deadline) {
      rss = await rsOf(api, uid);
      minAvailable = Math.min(minAvailable, rss.reduce((n, r) => n + ((r.status?.availableReplicas as number | undefined) ?? 0), 0));
      maxDesired = Math.max(maxDesired, rss.reduce((n, r) => n + (r.spec.replicas as number), 0));
      const d = await getObj(api, `${APPS}/deployments/web`);
      if (rss.length === 2 && d?.status?.updatedReplicas === 4 && d.status.availableReplicas === 4 && d.status.replicas === 4) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    assert.equal(rss.length, 2);
    assert.ok(minAvailable >= 3, `available dipped to ${minAvailable}`);
    assert.ok(maxDesired <= 5, `desired rose to ${maxDesired}`);
    assert.match(await k.ok(['rollout', 'status', 'deployment/web', '--timeout=20s'], { timeoutMs: 25_000 }), /successfully rolled out/);

    const hist = tableRows(await k.ok(['rollout', 'history', 'deployment/web']));
    assert.deepEqual(hist.slice(-2).map((r) => r[0]), ['1', '2'], JSON.stringify(hist));
    const rev1 = await k.ok(['rollout', 'history', 'deployment/web', '--revision=1']);
    assert.match(rev1, /Image:\s+nginx\n/);

    assert.match(await k.ok(['rollout', 'undo', 'deployment/web']), /deployment.apps\/web rolled back/);
    await eventually(async () => {
      const d = await getObj(api, `${APPS}/deployments/web`);
      const image = ((d?.spec.template as { spec: { containers: Array<{ image: string }> } }).spec.containers[0]!.image);
      return image === 'nginx' && d?.metadata.annotations?.['deployment.kubernetes.io/revision'] === '3' && d.status?.updatedReplicas === 4 && d.status.availableReplicas === 4;
    }, 'rolled back to revision 3', 20_000);
    assert.equal((await rsOf(api, uid)).length, 2, 'undo reuses the revision-1 ReplicaSet');
    const hist2 = tableRows(await k.ok(['rollout', 'history', 'deployment/web']));
    assert.deepEqual(hist2.slice(-2).map((r) => r[0]), ['2', '3']);

    assert.match(await k.ok(['rollout', 'restart', 'deployment/web']), /deployment.apps\/web restarted/);
    await eventually(async () => (await rsOf(api, uid)).length === 3, 'restart made a new ReplicaSet', 10_000);
    assert.match(await k.ok(['rollout', 'status', 'deployment/web', '--timeout=20s'], { timeoutMs: 25_000 }), /successfully rolled out/);
  });

  it('get events shows ScalingReplicaSet and SuccessfulCreate', async () => {
    const out = await k.ok(['get', 'events', '--field-selector', 'reason=ScalingReplicaSet']).catch(async () => k.ok(['get', 'events']));
    assert.match(out, /ScalingReplicaSet\s+deployment\/web\s+Scaled up replica set web-\w+ from 0 to 3/);
    const all = await k.ok(['get', 'events']);
    assert.match(all, /SuccessfulCreate\s+replicaset\/web-\w+\s+Created pod: web-\w+-\w{5}/);
  });

  it('delete deployment: background removes ReplicaSets and pods; orphan leaves them; foreground waits', async () => {
    const uid = await deploymentUid('web');
    const owned = await rsOf(api, uid);
    assert.match(await k.ok(['delete', 'deployment', 'web']), /deployment.apps "web" deleted/);
    await eventually(async () => {
      for (const rs of owned) if (await getObj(api, `${APPS}/replicasets/${rs.metadata.name}`)) return false;
      return (await Promise.all(owned.map((rs) => podsOf(api, rs.metadata.uid)))).every((p) => p.length === 0);
    }, 'ReplicaSets and pods collected');

    await k.ok(['create', 'deployment', 'keep', '--image=nginx', '--replicas=2']);
    const keepUid = await deploymentUid('keep');
    const [rs] = await eventually(async () => { const r = await rsOf(api, keepUid); return r.length === 1 && (await podsOf(api, r[0]!.metadata.uid)).length === 2 ? r : undefined; }, 'keep RS');
    await k.ok(['delete', 'deployment', 'keep', '--cascade=orphan']);
    await eventually(async () => (await getObj(api, `${APPS}/deployments/keep`)) === undefined, 'keep deleted');
    const left = await eventually(async () => { const o = await getObj(api, `${APPS}/replicasets/${rs!.metadata.name}`); return o && !o.metadata.ownerReferences ? o : undefined; }, 'orphaned RS');
    assert.equal((await podsOf(api, left.metadata.uid)).length, 2);

    await k.ok(['create', 'deployment', 'fg', '--image=nginx', '--replicas=2']);
    const fgUid = await deploymentUid('fg');
    const [fgRs] = await eventually(async () => { const r = await rsOf(api, fgUid); return r.length === 1 && (await podsOf(api, r[0]!.metadata.uid)).length === 2 ? r : undefined; }, 'fg RS');
    // kubectl waits for the object to be gone with --wait (default true): foreground completes.
    await k.ok(['delete', 'deployment', 'fg', '--cascade=foreground', '--timeout=20s'], { timeoutMs: 25_000 });
    assert.equal(await getObj(api, `${APPS}/deployments/fg`), undefined);
    assert.equal(await getObj(api, `${APPS}/replicasets/${fgRs!.metadata.name}`), undefined, 'foreground removed the RS before the Deployment');
  });
});
