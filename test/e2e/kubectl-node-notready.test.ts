// The real kubectl against keks on a fake clock (issue 4): `kubectl annotate node
// keks.dev/heartbeat=stopped` silences a simulated kubelet; 40 s later `kubectl get nodes` shows
// it NotReady and `kubectl describe node` its unreachable taints; removing the annotation brings
// it back Ready and untainted.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestKeks, type TestKeks } from '../../src/testing/harness.js';
import { FakeClock } from '../../src/util/clock.js';
import { Kubectl, kubectlSkip, tableRows } from '../helpers/kubectl.js';
import { eventually } from '../helpers/api.js';

/** Bounded polling (test/helpers/api.ts eventually). */
const until = async (what: string, fn: () => Promise<boolean>, ms = 20_000): Promise<void> => { await eventually(fn, what, ms, 100); };

describe('kubectl: a node that stops heartbeating', { skip: kubectlSkip }, () => {
  const clock = new FakeClock(Date.now());
  let k: TestKeks;
  let kc: Kubectl;
  /** Fake time a second at a time, so the other nodes' lease renewals keep up. */
  const advance = async (ms: number): Promise<void> => {
    for (let t = 0; t < ms; t += 1000) { clock.step(1000); await new Promise((r) => setTimeout(r, 15)); }
  };
  const statusOf = async (name: string): Promise<string | undefined> => tableRows(await kc.ok(['get', 'nodes'])).find((r) => r[0] === name)?.[1];

  before(async () => {
    k = await startTestKeks({ store: 'memory', nodes: 3, clock });
    kc = new Kubectl(k.kubeconfig);
    await until('3 nodes', async () => tableRows(await kc.ok(['get', 'nodes'])).length === 4);
  });
  after(async () => { kc?.dispose(); await k?.stop(); });

  it('get nodes shows NotReady, describe shows the unreachable taints; Ready again once it resumes', async () => {
    const name = tableRows(await kc.ok(['get', 'nodes']))[1]![0]!;
    await kc.ok(['annotate', 'node', name, 'keks.dev/heartbeat=stopped']);
    await advance(46_000);
    await until('NotReady', async () => (await statusOf(name)) === 'NotReady');
    const others = tableRows(await kc.ok(['get', 'nodes'])).slice(1).filter((r) => r[0] !== name);
    assert.deepEqual(others.map((r) => r[1]), ['Ready', 'Ready']);
    const described = await kc.ok(['describe', 'node', name]);
    assert.match(described, /Taints:\s+node\.kubernetes\.io\/unreachable:NoExecute\n\s+node\.kubernetes\.io\/unreachable:NoSchedule/);
    assert.match(described, /Ready\s+Unknown .* NodeStatusUnknown\s+Kubelet stopped posting node status\./);

    await kc.ok(['annotate', 'node', name, 'keks.dev/heartbeat-']);
    await advance(6000);
    await until('Ready', async () => (await statusOf(name)) === 'Ready');
    await until('untainted', async () => /Taints:\s+<none>/.test(await kc.ok(['describe', 'node', name])));
  });
});
