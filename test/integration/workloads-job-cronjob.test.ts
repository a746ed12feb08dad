// CronJobs through the in-process CronJob and Job controllers on a FakeClock: the test steps
// the clock a minute at a time and plays kubelet (pods marked Succeeded through pods/status).
// Covers Jobs created on schedule (name, scheduled-timestamp annotation, status.active,
// lastScheduleTime), SawCompletedJob and lastSuccessfulTime, history limits (SuccessfulDelete),
// Forbid, Replace, suspend and startingDeadlineSeconds.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestKeks, type TestKeks } from '../../src/testing/harness.js';
import { FakeClock } from '../../src/util/clock.js';
import type { ApiClient } from '../helpers/api.js';
import { tokenClient } from '../helpers/keks.js';
import { condition, eventually, getObj, list, NS, podsOf, type Obj } from './workloads-helpers.js';

const BATCH = '/apis/batch/v1/namespaces/default';
const MERGE = 'application/merge-patch+json';

function cronJob(name: string, spec: Record<string, unknown>): Record<string, unknown> {
  return {
    apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name },
    spec: {
      schedule: '* * * * *', ...spec,
      jobTemplate: { metadata: { labels: { cron: name } }, spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox' }] } } } },
    },
  };
}

describe('workloads: CronJob controller on a FakeClock', () => {
  let tk: TestKeks;
  let api: ApiClient;
  // Start on a minute boundary + 10 s, so each 60 s step crosses exactly one schedule time.
  const clock = new FakeClock(Math.floor(Date.now() / 60_000) * 60_000 + 10_000);

  before(async () => {
    tk = await startTestKeks({ store: 'memory', clock, controllers: ['cronjob', 'job', 'garbagecollector'] });
    api = tokenClient(tk);
  });
  after(async () => {
    api?.close();
    await tk?.stop();
  });

  async function jobsOf(name: string): Promise<Obj[]> {
    return (await list(api, `${BATCH}/jobs`, `cron=${name}`)).filter((j) => !j.metadata.deletionTimestamp).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  }

  async function cj(name: string): Promise<Obj> {
    return (await getObj(api, `${BATCH}/cronjobs/${name}`))!;
  }

  async function succeed(job: Obj): Promise<void> {
    const pods = await eventually(async () => { const p = await podsOf(api, job.metadata.uid); return p.length ? p : undefined; }, `pods of ${job.metadata.name}`);
    for (const p of pods) {
      const r = await api.patch(`${NS}/pods/${p.metadata.name}/status`, { status: { phase: 'Succeeded' } }, MERGE);
      assert.equal(r.status, 200, r.text);
    }
    await eventually(async () => { const j = await getObj(api, `${BATCH}/jobs/${job.metadata.name}`); return !j || condition(j, 'Complete'); }, `${job.metadata.name} Complete`);
  }

  async function tick(): Promise<number> {
    clock.step(60_000);
    return Math.floor(clock.now() / 60_000) * 60_000;
  }

  it('creates a Job per schedule time; completion → SawCompletedJob, lastSuccessfulTime; history limit keeps 2', async () => {
    const r = await api.post(`${BATCH}/cronjobs`, cronJob('every', { successfulJobsHistoryLimit: 2 }));
    assert.equal(r.status, 201, r.text);
    const names: string[] = [];
    for (let i = 0; i < 3; i++) {
      const scheduled = await tick();
      const name = `every-${scheduled / 60_000}`;
      names.push(name);
      const job = await eventually(async () => (await jobsOf('every')).find((j) => j.metadata.name === name), `job ${name}`);
      assert.equal(job.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'], new Date(scheduled).toISOString().replace('.000Z', 'Z'));
      assert.equal(job.metadata.ownerReferences?.[0]?.kind, 'CronJob');
      const status = await eventually(async () => { const s = (await cj('every')).status as { active?: Array<{ name: string }>; lastScheduleTime?: string } | undefined; return s?.active?.some((a) => a.name === name) ? s : undefined; }, 'active');
      assert.equal(status.lastScheduleTime, new Date(scheduled).toISOString().replace('.000Z', 'Z'));
      await succeed(job);
      await eventually(async () => { const s = (await cj('every')).status as { active?: unknown[]; lastSuccessfulTime?: string }; return !s.active?.length && s.lastSuccessfulTime; }, 'active cleared, lastSuccessfulTime');
    }
    await eventually(async () => (await jobsOf('every')).map((j) => j.metadata.name).join() === names.slice(1).join(), 'history limit 2');
    const ev = (await list(api, `${NS}/events?fieldSelector=${encodeURIComponent('involvedObject.name=every')}`)) as unknown as Array<{ reason: string; message: string }>;
    assert.ok(ev.some((e) => e.reason === 'SuccessfulCreate' && e.message === `Created job ${names[0]}`));
    assert.ok(ev.some((e) => e.reason === 'SawCompletedJob' && e.message === `Saw completed job: ${names[0]}, condition: Complete`));
    assert.ok(ev.some((e) => e.reason === 'SuccessfulDelete' && e.message === `Deleted job ${names[0]}`));
    await api.patch(`${BATCH}/cronjobs/every`, { spec: { suspend: true } }, MERGE);
  });

  it('Forbid: no second Job while one is active', async () => {
    await api.post(`${BATCH}/cronjobs`, cronJob('forbid', { concurrencyPolicy: 'Forbid' }));
    const t1 = await tick();
    await eventually(async () => (await jobsOf('forbid')).length === 1, 'first job');
    await eventually(async () => ((await cj('forbid')).status as { active?: unknown[] } | undefined)?.active?.length === 1, 'active');
    await tick();
    await eventually(async () => {
      const ev = (await list(api, `${NS}/events?fieldSelector=${encodeURIComponent('involvedObject.name=forbid')}`)) as unknown as Array<{ reason: string }>;
      return ev.some((e) => e.reason === 'JobAlreadyActive');
    }, 'JobAlreadyActive event');
    assert.deepEqual((await jobsOf('forbid')).map((j) => j.metadata.name), [`forbid-${t1 / 60_000}`]);
    await api.patch(`${BATCH}/cronjobs/forbid`, { spec: { suspend: true } }, MERGE);
  });

  it('Replace: the active Job is deleted and a new one created', async () => {
    await api.post(`${BATCH}/cronjobs`, cronJob('replace', { concurrencyPolicy: 'Replace' }));
    const t1 = await tick();
    await eventually(async () => ((await cj('replace')).status as { active?: unknown[] } | undefined)?.active?.length === 1, 'first active');
    const t2 = await tick();
    await eventually(async () => (await jobsOf('replace')).map((j) => j.metadata.name).join() === `replace-${t2 / 60_000}`, 'replaced');
    const s = (await cj('replace')).status as { active: Array<{ name: string }> };
    assert.deepEqual(s.active.map((a) => a.name), [`replace-${t2 / 60_000}`]);
    assert.notEqual(t1, t2);
    await api.patch(`${BATCH}/cronjobs/replace`, { spec: { suspend: true } }, MERGE);
  });

  it('suspend: no Jobs; startingDeadlineSeconds: a missed time too late is skipped', async () => {
    await api.post(`${BATCH}/cronjobs`, cronJob('sleepy', { suspend: true, startingDeadlineSeconds: 10 }));
    await tick();
    await tick();
    assert.equal((await jobsOf('sleepy')).length, 0);
    // Resume 40 s after the last schedule time: later than the 10 s deadline → no Job.
    clock.step(30_000);
    await api.patch(`${BATCH}/cronjobs/sleepy`, { spec: { suspend: false } }, MERGE);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal((await jobsOf('sleepy')).length, 0);
    // The next schedule time (20 s later) is on time.
    const next = Math.floor(clock.now() / 60_000) * 60_000 + 60_000;
    clock.step(next - clock.now() + 1000);
    await eventually(async () => (await jobsOf('sleepy')).map((j) => j.metadata.name).join() === `sleepy-${next / 60_000}`, 'on-time job');
  });
});
