// `keks start` as a child process on sqlite: objects survive a graceful restart (SIGINT exits 0
// promptly and closes the port; uids and resourceVersions are kept and new ones continue above
// the old), and every create acknowledged with a 201 survives a SIGKILL in the middle of a burst.
// Runs the compiled CLI (bin/keks.js → dist/): `npm run build` first.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient } from '../helpers/api.js';
import { adminFromKubeconfig, exitWithin, portOpen, repoRoot, startKeksProcess, type KeksProcess } from '../helpers/keks.js';

const built = existsSync(join(repoRoot(), 'dist', 'src', 'cli', 'main.js'));

interface Meta { name: string; uid: string; resourceVersion: string }

describe('restart persistence and SIGKILL durability (keks start, sqlite)', { skip: built ? false : 'dist/ not built (npm run build)' }, () => {
  let tmp: string;
  let dataDir: string;
  let kubeconfig: string;
  let proc: KeksProcess | undefined;
  let port = 0;
  const clients: ApiClient[] = [];

  const client = (p: KeksProcess): ApiClient => {
    const a = adminFromKubeconfig(kubeconfig);
    assert.equal(a.server, p.endpoint, 'the kubeconfig points at the running keks');
    const c = new ApiClient({ endpoint: p.endpoint, caPem: a.caPem, auth: { kind: 'cert', certPem: a.certPem, keyPem: a.keyPem } });
    clients.push(c);
    return c;
  };
  const start = async (): Promise<KeksProcess> => {
    proc = await startKeksProcess({ dataDir, kubeconfig, port });
    port = proc.port;
    return proc;
  };

  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'keks-durability-'));
    dataDir = join(tmp, 'data');
    kubeconfig = join(tmp, 'kubeconfig');
  });
  after(async () => {
    for (const c of clients) c.close();
    if (proc && proc.child.exitCode === null && proc.child.signalCode === null) {
      proc.child.kill('SIGKILL');
      await proc.exited;
    }
    rmSync(tmp, { recursive: true, force: true });
  });

  it('objects survive a SIGINT restart and resourceVersions continue above the old ones', async () => {
    const p1 = await start();
    assert.match(p1.stdout(), /keks is running \(Kubernetes v1\.32\.4, store: sqlite in /);
    assert.match(readFileSync(kubeconfig, 'utf8'), /current-context: keks/);
    const api = client(p1);
    assert.equal((await api.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'persist' } })).status, 201);
    const created: Meta[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await api.post('/api/v1/namespaces/persist/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, labels: { i: String(i) } }, data: { i: String(i) } });
      assert.equal(r.status, 201, r.text);
      created.push(r.json().metadata);
    }
    const dep = await api.post('/apis/apps/v1/namespaces/persist/deployments', {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    });
    assert.equal(dep.status, 201, dep.text);
    // An update and a delete, so the log holds more than creates.
    const upd = await api.patch('/api/v1/namespaces/persist/configmaps/cm-0', { data: { i: 'updated' } }, 'application/merge-patch+json');
    assert.equal(upd.status, 200, upd.text);
    created[0] = upd.json().metadata;
    assert.equal((await api.delete('/api/v1/namespaces/persist/configmaps/cm-4')).status, 200);
    created.pop();
    const listBefore = (await api.get('/api/v1/namespaces/persist/configmaps')).json();
    const rvBefore = Number(listBefore.metadata.resourceVersion);

    p1.child.kill('SIGINT');
    const t0 = Date.now();
    assert.equal(await exitWithin(p1, 10_000), 0, `exit code after SIGINT; stderr: ${p1.stderr()}`);
    assert.ok(Date.now() - t0 < 5000, `SIGINT shutdown took ${Date.now() - t0} ms`);
    assert.equal(await portOpen(port), false, 'the port is closed after shutdown');

    const p2 = await start();
    assert.equal(p2.port, port);
    const api2 = client(p2);
    const listAfter = (await api2.get('/api/v1/namespaces/persist/configmaps')).json();
    const got = listAfter.items.map((o: { metadata: Meta; data: Record<string, string> }) => ({ name: o.metadata.name, uid: o.metadata.uid, resourceVersion: o.metadata.resourceVersion, i: o.data.i }));
    assert.deepEqual(got, created.map((m, i) => ({ name: m.name, uid: m.uid, resourceVersion: m.resourceVersion, i: i === 0 ? 'updated' : String(i) })));
    assert.ok(Number(listAfter.metadata.resourceVersion) >= rvBefore);
    const depAfter = (await api2.get('/apis/apps/v1/namespaces/persist/deployments/web')).json();
    assert.equal(depAfter.metadata.uid, dep.json().metadata.uid);
    assert.equal(depAfter.spec.replicas, 2);
    assert.equal((await api2.get('/api/v1/namespaces/persist')).json().status.phase, 'Active');
    assert.equal((await api2.get('/api/v1/namespaces/persist/configmaps/cm-4')).status, 404);

    const fresh = await api2.post('/api/v1/namespaces/persist/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after-restart' } });
    assert.equal(fresh.status, 201, fresh.text);
    assert.ok(Number(fresh.json().metadata.resourceVersion) > rvBefore, `new RV ${fresh.json().metadata.resourceVersion} > old ${rvBefore}`);
    // Writes guarded by pre-restart resourceVersions still work (the RV of cm-1 is still current).
    const cm1 = (await api2.get('/api/v1/namespaces/persist/configmaps/cm-1')).json();
    const put = await api2.put('/api/v1/namespaces/persist/configmaps/cm-1', { ...cm1, data: { i: 'put' } });
    assert.equal(put.status, 200, put.text);
  });

  it('every create acknowledged before a SIGKILL mid-burst is present after restart', async (t) => {
    const p = proc as KeksProcess;
    const api = client(p);
    assert.equal((await api.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'burst' } })).status, 201);
    const acked = new Map<string, number>();
    let attempted = 0;
    let stop = false;
    const worker = async (w: number): Promise<void> => {
      for (let i = 0; !stop; i++) {
        const name = `b-${w}-${i}`;
        attempted++;
        try {
          const r = await api.post('/api/v1/namespaces/burst/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { v: 'x'.repeat(256) } }, { timeoutMs: 5000 });
          if (r.status === 201) acked.set(name, Number(r.json().metadata.resourceVersion));
          else if (r.status >= 500) return;
        } catch {
          return; // the connection died with the process
        }
      }
    };
    const workers = Array.from({ length: 8 }, (_, w) => worker(w));
    // Kill once a good number of writes were acknowledged (bounded wait).
    const deadline = Date.now() + 10_000;
    while (acked.size < 300 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    p.child.kill('SIGKILL');
    await p.exited;
    stop = true;
    await Promise.all(workers);
    assert.ok(acked.size >= 50, `only ${acked.size} creates were acknowledged before the kill`);

    const p2 = await start();
    const api2 = client(p2);
    const list = (await api2.get('/api/v1/namespaces/burst/configmaps')).json();
    const present = new Set<string>(list.items.map((o: { metadata: { name: string } }) => o.metadata.name));
    const missing = [...acked.keys()].filter((n) => !present.has(n));
    t.diagnostic(`${acked.size} acknowledged, ${attempted} attempted, ${present.size} present after SIGKILL + restart`);
    assert.deepEqual(missing, [], `${missing.length} of ${acked.size} acknowledged creates lost (${attempted} attempted, ${present.size} present)`);
    // Each present object kept the resourceVersion its 201 reported.
    for (const o of list.items as Array<{ metadata: { name: string; resourceVersion: string } }>) {
      const rv = acked.get(o.metadata.name);
      if (rv !== undefined) assert.equal(Number(o.metadata.resourceVersion), rv, o.metadata.name);
    }
    const maxAcked = Math.max(...acked.values());
    const next = await api2.post('/api/v1/namespaces/burst/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after-kill' } });
    assert.equal(next.status, 201, next.text);
    assert.ok(Number(next.json().metadata.resourceVersion) > maxAcked);
    assert.equal((await api2.get('/api/v1/namespaces/persist/configmaps/after-restart')).status, 200, 'the earlier objects are still there');

    p2.child.kill('SIGINT');
    assert.equal(await exitWithin(p2, 10_000), 0);
  });
});
