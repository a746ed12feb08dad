import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatRfc3339In, nextAfter, parseSchedule } from './cron.js';
import { jobFromTemplate, jobName, mostRecentScheduleTime } from './schedule.js';

const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString().replace('.000Z', 'Z'));

describe('cron schedule next time (robfig/cron ParseStandard + Next)', () => {
  const table: Array<[string, string, string, string]> = [
    // schedule, zone, after, expected next (UTC)
    ['*/15 * * * *', 'UTC', '2025-01-01T10:07:00Z', '2025-01-01T10:15:00Z'],
    ['*/15 * * * *', 'UTC', '2025-01-01T10:15:00Z', '2025-01-01T10:30:00Z'],
    ['* * * * *', 'UTC', '2025-01-01T10:15:30Z', '2025-01-01T10:16:00Z'],
    ['0 9 * * 1-5', 'UTC', '2025-01-03T10:00:00Z', '2025-01-06T09:00:00Z'], // Friday → Monday
    ['@hourly', 'UTC', '2025-01-01T10:30:00Z', '2025-01-01T11:00:00Z'],
    ['@daily', 'UTC', '2025-01-01T10:30:00Z', '2025-01-02T00:00:00Z'],
    ['@weekly', 'UTC', '2025-01-01T10:30:00Z', '2025-01-05T00:00:00Z'], // next Sunday
    ['@monthly', 'UTC', '2025-01-31T10:30:00Z', '2025-02-01T00:00:00Z'],
    ['@yearly', 'UTC', '2025-01-31T10:30:00Z', '2026-01-01T00:00:00Z'],
    ['0 0 29 2 *', 'UTC', '2025-01-01T00:00:00Z', '2028-02-29T00:00:00Z'], // leap day
    ['0 0 13 * 5', 'UTC', '2025-01-01T00:00:00Z', '2025-01-03T00:00:00Z'], // dom OR dow (Friday 3rd)
    ['0 0 13 * *', 'UTC', '2025-01-01T00:00:00Z', '2025-01-13T00:00:00Z'],
    ['0 0 * * fri', 'UTC', '2025-01-03T00:00:00Z', '2025-01-10T00:00:00Z'],
    ['5 4 * jan,jul sun', 'UTC', '2025-01-27T00:00:00Z', '2025-07-06T04:05:00Z'],
    ['0 12 * * *', 'Asia/Kolkata', '2025-01-01T00:00:00Z', '2025-01-01T06:30:00Z'],
    ['0 9 * * *', 'Europe/Berlin', '2025-06-01T08:00:00Z', '2025-06-02T07:00:00Z'], // CEST +2
    ['0 9 * * *', 'Europe/Berlin', '2025-01-01T09:00:00Z', '2025-01-02T08:00:00Z'], // CET +1
    // DST spring forward (America/New_York 2025-03-09 02:00 → 03:00): 02:30 does not exist that day.
    ['30 2 * * *', 'America/New_York', '2025-03-08T07:30:00Z', '2025-03-10T06:30:00Z'],
    // DST fall back (2025-11-02 02:00 EDT → 01:00 EST): 01:30 happens twice, robfig runs both.
    ['30 1 * * *', 'America/New_York', '2025-11-01T06:00:00Z', '2025-11-02T05:30:00Z'],
    ['30 1 * * *', 'America/New_York', '2025-11-02T05:30:00Z', '2025-11-02T06:30:00Z'],
    ['30 1 * * *', 'America/New_York', '2025-11-02T06:30:00Z', '2025-11-03T06:30:00Z'],
    ['TZ=Asia/Tokyo 0 0 * * *', 'UTC', '2025-01-01T00:00:00Z', '2025-01-01T15:00:00Z'],
  ];
  for (const [spec, tz, after, want] of table) {
    it(`${spec} (${tz}) after ${after} → ${want}`, () => {
      assert.equal(iso(nextAfter(parseSchedule(spec, tz), Date.parse(after))), want);
    });
  }

  it('@every adds the duration', () => {
    assert.equal(iso(nextAfter(parseSchedule('@every 1m30s'), Date.parse('2025-01-01T00:00:00Z'))), '2025-01-01T00:01:30Z');
  });

  it('a schedule that never fires returns undefined within 5 years', () => {
    assert.equal(nextAfter(parseSchedule('0 0 30 2 *'), Date.parse('2025-01-01T00:00:00Z')), undefined);
  });

  it('rejects bad schedules with robfig-style messages', () => {
    assert.throws(() => parseSchedule('60 * * * *'), /end of range \(60\) above maximum \(59\): 60/);
    assert.throws(() => parseSchedule('* * * *'), /expected exactly 5 fields, found 4/);
    assert.throws(() => parseSchedule('@fortnightly'), /unrecognized descriptor/);
    assert.throws(() => parseSchedule('* * * * *', 'Mars/Base'), /unknown time zone Mars\/Base/);
    assert.throws(() => parseSchedule('5-1 * * * *'), /beginning of range \(5\) beyond end of range \(1\)/);
    assert.throws(() => parseSchedule('*/0 * * * *'), /step of range should be a positive number/);
  });

  it('formats the scheduled timestamp in the zone as Go RFC3339', () => {
    assert.equal(formatRfc3339In(Date.parse('2025-01-01T06:30:00Z'), 'Asia/Kolkata'), '2025-01-01T12:00:00+05:30');
    assert.equal(formatRfc3339In(Date.parse('2025-01-01T06:30:00Z'), 'UTC'), '2025-01-01T06:30:00Z');
    assert.equal(formatRfc3339In(Date.parse('2025-07-01T06:30:00Z'), 'America/New_York'), '2025-07-01T02:30:00-04:00');
  });
});

describe('CronJob schedule bookkeeping (utils.go)', () => {
  const cj = (status: Record<string, unknown>, spec: Record<string, unknown> = {}): Parameters<typeof jobName>[0] => ({
    apiVersion: 'batch/v1', kind: 'CronJob',
    metadata: { name: 'cj', namespace: 'default', uid: 'u1', creationTimestamp: '2025-01-01T00:00:00Z' },
    spec: { schedule: '*/5 * * * *', jobTemplate: { metadata: { labels: { a: 'b' } }, spec: { template: { spec: {} } } }, ...spec }, status,
  });
  const s = parseSchedule('*/5 * * * *');

  it('most recent unmet time since creation / last schedule, with the missed count', () => {
    assert.equal(mostRecentScheduleTime(cj({}), s, Date.parse('2025-01-01T00:04:00Z'), true).time, undefined);
    assert.equal(iso(mostRecentScheduleTime(cj({}), s, Date.parse('2025-01-01T00:05:00Z'), true).time), '2025-01-01T00:05:00Z');
    const r = mostRecentScheduleTime(cj({ lastScheduleTime: '2025-01-01T00:05:00Z' }), s, Date.parse('2025-01-01T01:02:00Z'), true);
    assert.equal(iso(r.time), '2025-01-01T01:00:00Z');
    assert.equal(r.missed, 11);
    const many = mostRecentScheduleTime(cj({}), s, Date.parse('2025-02-01T00:00:00Z'), true);
    assert.equal(iso(many.time), '2025-02-01T00:00:00Z');
    assert.ok(many.missed > 100);
    // startingDeadlineSeconds bounds how far back the controller looks.
    const bounded = mostRecentScheduleTime(cj({}, { startingDeadlineSeconds: 60 }), s, Date.parse('2025-01-01T00:07:00Z'), true);
    assert.equal(bounded.time, undefined);
  });

  it('jobs are named <cronjob>-<unix minutes> with the scheduled-timestamp annotation and a controller ref', () => {
    const t = Date.parse('2025-01-01T00:05:00Z');
    const j = jobFromTemplate(cj({}, { timeZone: 'Asia/Kolkata' }), t);
    assert.equal(j.metadata.name, `cj-${t / 60_000}`);
    assert.equal(j.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'], '2025-01-01T05:35:00+05:30');
    assert.deepEqual(j.metadata.labels, { a: 'b' });
    assert.equal(j.metadata.ownerReferences?.[0]?.kind, 'CronJob');
    assert.equal(j.metadata.ownerReferences?.[0]?.controller, true);
  });
});
