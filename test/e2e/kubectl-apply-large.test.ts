// Server-side apply of large objects with the real kubectl against `keks start` (sqlite, the full
// process): the prometheus-operator CRD bundle (6 CRDs, responses of up to ~0.5 MB) applied twice
// on kubectl's keep-alive connection. kubectl sends each PATCH as soon as it has read the previous
// response; Node's HTTP/1 server used to drop the connection then (HPE_PAUSED, kubectl: "Unable
// to connect to the server: EOF") — see allowLargeResponses in src/cluster/cluster.ts.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kubectl, kubectlSkip } from '../helpers/kubectl.js';
import { exitWithin, repoRoot, startKeksProcess, type KeksProcess } from '../helpers/keks.js';

describe('kubectl apply --server-side of large objects against keks start', { skip: kubectlSkip }, () => {
  let tmp: string;
  let proc: KeksProcess | undefined;
  let k: Kubectl;

  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'keks-apply-large-'));
    const kubeconfig = join(tmp, 'kubeconfig');
    proc = await startKeksProcess({ dataDir: join(tmp, 'data'), kubeconfig });
    k = new Kubectl(kubeconfig);
  });
  after(async () => {
    k?.dispose();
    if (proc) { proc.child.kill('SIGTERM'); await exitWithin(proc, 10_000); }
    rmSync(tmp, { recursive: true, force: true });
  });

  it('applies the prometheus-operator CRD bundle server-side, then again: every object, no dropped connection', async () => {
    const dir = join(repoRoot(), 'test/fixtures/crd/prometheus-operator/crds');
    for (let round = 0; round < 3; round++) {
      const out = await k.ok(['apply', '--server-side', '-f', dir], { timeoutMs: 60_000 });
      assert.equal(out.trim().split('\n').filter((l) => l.endsWith('serverside-applied')).length, 6, `round ${round}: ${out}`);
    }
  });
});
