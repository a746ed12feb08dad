// `kubectl get -w` against keks: a running watch (plain rows, and --output-watch-events across
// namespaces) prints the rows of a create, an update and a delete made by another kubectl.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestKeks, type TestKeks } from '../../src/testing/harness.js';
import { Kubectl, kubectlSkip, tableRows } from '../helpers/kubectl.js';

describe('kubectl get -w against keks', { skip: kubectlSkip }, () => {
  let tk: TestKeks;
  let k: Kubectl;

  before(async () => {
    tk = await startTestKeks({ store: 'sqlite' });
    k = new Kubectl(tk.kubeconfig);
    await k.ok(['create', 'namespace', 'wt']);
    await k.ok(['-n', 'wt', 'create', 'configmap', 'seed', '--from-literal=s=1']);
  });
  after(async () => {
    k?.dispose();
    await tk?.stop();
  });

  it('create, update and delete events arrive as rows', async () => {
    const plain = k.spawn(['-n', 'wt', 'get', 'cm', '-w']);
    const events = k.spawn(['get', 'cm', '-A', '-w', '--output-watch-events']);
    try {
      await plain.waitFor((s) => /^seed\s+1\s/m.test(s), 'the listed row of seed');
      await events.waitFor((s) => /^ADDED\s+wt\s+seed\s/m.test(s), 'the listed ADDED row of seed');
      assert.deepEqual(tableRows(plain.stdout)[0], ['NAME', 'DATA', 'AGE']);
      assert.deepEqual(tableRows(events.stdout)[0], ['EVENT', 'NAMESPACE', 'NAME', 'DATA', 'AGE']);

      await k.ok(['-n', 'wt', 'create', 'configmap', 'evt', '--from-literal=a=1']);
      await plain.waitFor((s) => /^evt\s+1\s/m.test(s), 'the row of the created configmap');
      await events.waitFor((s) => /^ADDED\s+wt\s+evt\s+1\s/m.test(s), 'ADDED evt');

      await k.ok(['-n', 'wt', 'patch', 'cm', 'evt', '--type', 'merge', '-p', '{"data":{"b":"2"}}']);
      await plain.waitFor((s) => /^evt\s+2\s/m.test(s), 'the row of the updated configmap');
      await events.waitFor((s) => /^MODIFIED\s+wt\s+evt\s+2\s/m.test(s), 'MODIFIED evt');

      await k.ok(['-n', 'wt', 'delete', 'cm', 'evt']);
      await plain.waitFor((s) => (s.match(/^evt\s+2\s/gm) ?? []).length === 2, 'the row of the deleted configmap');
      await events.waitFor((s) => /^DELETED\s+wt\s+evt\s+2\s/m.test(s), 'DELETED evt');

      // Exactly the three events for evt, in order, and nothing spurious for seed.
      const evtRows = tableRows(events.stdout).filter((r) => r[2] === 'evt').map((r) => [r[0], r[3]]);
      assert.deepEqual(evtRows, [['ADDED', '1'], ['MODIFIED', '2'], ['DELETED', '2']]);
      assert.equal(tableRows(plain.stdout).filter((r) => r[0] === 'evt').length, 3);
      assert.equal(tableRows(plain.stdout).filter((r) => r[0] === 'seed').length, 1);
      assert.equal(plain.exitCode, null, 'the watch is still running');
      assert.equal(plain.stderr, '');
    } finally {
      await plain.stop();
      await events.stop();
    }
  });

  it('--watch-only on one object sees only that object\'s changes', async () => {
    const w = k.spawn(['-n', 'wt', 'get', 'cm', 'seed', '--watch-only', '-o', 'jsonpath={.metadata.name}={.data.s}{"\\n"}']);
    try {
      // kubectl watches from resourceVersion=0 and drops the first (initial-state) event, so a change
      // made before its watch is registered is not printed: patch again (bounded) until one shows.
      let v = 2;
      const deadline = Date.now() + 15_000;
      for (;;) {
        await k.ok(['-n', 'wt', 'patch', 'cm', 'seed', '--type', 'merge', '-p', JSON.stringify({ data: { s: String(v) } })]);
        await k.ok(['-n', 'wt', 'create', 'configmap', `other-${v}`]);
        try {
          await w.waitFor((s) => s.includes(`seed=${v}\n`), `seed=${v}`, 1500);
          break;
        } catch (e) {
          if (Date.now() > deadline) throw e;
          v++;
        }
      }
      assert.ok(w.lines.every((l) => /^seed=\d+$/.test(l)), w.stdout);
    } finally {
      await w.stop();
    }
  });
});
