/**
 * `keks start --port P` on a data dir whose default cluster was made on another port: the
 * cluster comes back on P (what the user asked for), and EKS DescribeCluster reports it; with
 * port 0 a restart keeps the stored port.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import https from 'node:https';
import { startTestKeks } from '../../src/testing/harness.js';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)); });
  });
}

test('the default cluster follows an explicit --port across restarts; port 0 keeps the stored one', async () => {
  const first = await startTestKeks({ store: 'sqlite' });
  const dataDir = first.dataDir;
  const firstPort = Number(new URL(first.endpoint).port);
  const svcRv = (await first.cluster.registry.storeOf('', 'services').get('default', 'kubernetes')).metadata.resourceVersion;
  await first.stop({ keepData: true });
  const kept = await startTestKeks({ store: 'sqlite', dataDir });
  try {
    assert.equal(Number(new URL(kept.endpoint).port), firstPort, 'port 0 → the stored port');
    const svc = await kept.cluster.registry.storeOf('', 'services').get('default', 'kubernetes');
    assert.equal(svc.metadata.resourceVersion, svcRv, 'a restart on the same port does not rewrite the kubernetes Service');
  } finally { await kept.stop({ keepData: true }); }
  const want = await freePort();
  const moved = await startTestKeks({ store: 'sqlite', dataDir, port: want });
  try {
    assert.equal(Number(new URL(moved.endpoint).port), want);
    const rec = moved.keks.aws.eks.clusters.byName('keks');
    assert.equal(rec?.port, want, 'the stored record follows the new port');
    const svc = await moved.cluster.registry.storeOf('', 'services').get('default', 'kubernetes');
    assert.deepEqual((svc.spec as { ports: unknown }).ports, [{ name: 'https', protocol: 'TCP', port: 443, targetPort: want }], 'the kubernetes Service targets the new port');
    const status = await new Promise<number>((resolve, reject) => {
      https.get(`${moved.endpoint}/readyz`, { ca: moved.caPem }, (res) => { res.resume(); resolve(res.statusCode ?? 0); }).on('error', reject);
    });
    assert.equal(status, 200, 'the cluster serves on the new port with its own CA');
  } finally { await moved.stop(); }
});
