// Jobs and CronJobs through the real kubectl against a keks with 3 simulated nodes: create job
// → pod runs (simulated run-time) → Complete, `get jobs` COMPLETIONS 1/1, `wait
// --for=condition=complete`, describe events; create cronjob, `create job --from=cronjob/x`
// (kubectl builds the Job client-side), and delete with background cascading.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestKeks, type TestKeks } from '../../src/testing/harness.js';
import { eventually, type ApiClient } from '../helpers/api.js';
import { tokenClient } from '../helpers/keks.js';
import { Kubectl, kubectlSkip, rowOf, tableRows } from '../helpers/kubectl.js';
import { getObj, podsOf } from '../integration/workloads-helpers.js';

const BATCH = '/apis/batch/v1/namespaces/default';

describe('kubectl jobs and cronjobs against keks', { skip: kubectlSkip }, () => {
  let tk: TestKeks;
  let k: Kubectl;
  let api: ApiClient;

  before(async () => {
    tk = await startTestKeks({ store: 'sqlite', nodes: 3 });
    k = new Kubectl(tk.kubeconfig);
    api = tokenClient(tk);
  });
  after(async () => {
    api?.close();
    k?.dispose();
    await tk?.stop();
  });

  it('create job pi → Complete; get jobs shows COMPLETIONS 1/1; pods labelled job-name', async () => {
    assert.match(await k.ok(['create', 'job', 'pi', '--image=busybox', '--', 'echo', 'hi']), /job.batch\/pi created/);
    const out = await k.ok(['wait', '--for=condition=complete', 'job/pi', '--timeout=30s'], { timeoutMs: 35_000 });
    assert.match(out, /job.batch\/pi condition met/);
    const table = await k.ok(['get', 'jobs']);
    assert.deepEqual(tableRows(table)[0], ['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE']);
    const row = rowOf(table, 'pi');
    assert.deepEqual(row?.slice(1, 3), ['Complete', '1/1']);
    const pods = await k.ok(['get', 'pods', '-l', 'batch.kubernetes.io/job-name=pi', '-o', 'jsonpath={.items[*].status.phase}']);
    assert.equal(pods, 'Succeeded');
    const describe = await k.ok(['describe', 'job', 'pi']);
    assert.match(describe, /Normal\s+SuccessfulCreate\s+\S+\s+job-controller\s+Created pod: pi-[a-z0-9]{5}/);
    assert.match(describe, /Normal\s+Completed\s+\S+\s+job-controller\s+Job completed/);
    assert.match(describe, /Selector:\s+batch.kubernetes.io\/controller-uid=[0-9a-f-]{36}/);
    assert.match(describe, /Pods Statuses:\s+0 Active \(0 Ready\) \/ 1 Succeeded \/ 0 Failed/);
  });

  it('create cronjob; create job --from=cronjob/x runs to Complete; delete cascades to pods', async () => {
    assert.match(await k.ok(['create', 'cronjob', 'tick', '--image=busybox', '--schedule=*/5 * * * *', '--', 'date']), /cronjob.batch\/tick created/);
    const cj = await k.ok(['get', 'cronjob', 'tick']);
    assert.deepEqual(tableRows(cj)[0], ['NAME', 'SCHEDULE', 'TIMEZONE', 'SUSPEND', 'ACTIVE', 'LAST', 'SCHEDULE', 'AGE']);
    assert.deepEqual(rowOf(cj, 'tick')?.slice(1, 6), ['*/5', '*', '*', '*', '*']);
    assert.match(await k.ok(['create', 'job', 'manual', '--from=cronjob/tick']), /job.batch\/manual created/);
    await k.ok(['wait', '--for=condition=complete', 'job/manual', '--timeout=30s'], { timeoutMs: 35_000 });
    const job = (await getObj(api, `${BATCH}/jobs/manual`))!;
    assert.equal(job.metadata.annotations?.['cronjob.kubernetes.io/instantiate'], 'manual');
    assert.equal(job.metadata.ownerReferences?.[0]?.kind, 'CronJob');
    assert.equal((await podsOf(api, job.metadata.uid)).length, 1);
    await k.ok(['delete', 'cronjob', 'tick']);
    await eventually(async () => (await api.get(`${BATCH}/jobs/manual`)).status === 404, 'job collected with its cronjob', 20_000);
    await eventually(async () => (await podsOf(api, job.metadata.uid)).length === 0, 'pods collected', 20_000);
  });
});
