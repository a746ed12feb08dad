/**
 * Scaling activities (DescribeScalingActivities): one per instance launched or terminated, with
 * the Description / Cause sentences AWS writes, e.g.
 *   Description "Launching a new EC2 instance: i-0123…"
 *   Cause "At 2026-11-22T08:00:00Z a user request explicitly set group desired capacity changing
 *          the desired capacity from 2 to 3.  At 2026-11-22T08:00:01Z an instance was started in
 *          response to a difference between desired and actual capacity, increasing the capacity
 *          from 2 to 3."
 * The newest 100 activities per group are kept.
 */
import { randomUUID } from 'node:crypto';
import type { AwsState, StateTable } from '../../core/state.js';
import type { ActivityDoc, GroupDoc } from './model.js';

const KEEP_PER_GROUP = 100;

/** AWS's timestamp in activity causes: ISO 8601 without milliseconds. */
export function causeTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export class ActivityLog {
  private readonly table: StateTable<ActivityDoc>;
  private readonly now: () => number;
  private seq: number;

  private constructor(table: StateTable<ActivityDoc>, now: () => number) {
    this.table = table;
    this.now = now;
    this.seq = table.values().reduce((m, a) => Math.max(m, a.seq), 0);
  }

  static async open(state: AwsState, now: () => number): Promise<ActivityLog> {
    return new ActivityLog(await state.table<ActivityDoc>('autoscaling-activities'), now);
  }

  async record(g: GroupDoc, a: { description: string; cause: string; details: Record<string, string>; statusMessage?: string; failed?: boolean }): Promise<ActivityDoc> {
    const t = new Date(this.now()).toISOString();
    const doc: ActivityDoc = {
      activityId: randomUUID(), accountId: g.accountId, region: g.region, groupName: g.name, groupArn: g.arn,
      description: a.description, cause: a.cause, startTime: t, endTime: t, statusCode: a.failed ? 'Failed' : 'Successful', progress: 100,
      details: JSON.stringify(a.details), seq: ++this.seq,
      ...(a.statusMessage ? { statusMessage: a.statusMessage } : {}),
    };
    await this.table.put(doc.activityId, doc);
    const mine = this.list(g.accountId, g.region, g.name);
    for (const old of mine.slice(KEEP_PER_GROUP)) await this.table.delete(old.activityId);
    return doc;
  }

  /** Activities of the account and region (of one group when named), newest first. */
  list(accountId: string, region: string, groupName?: string): ActivityDoc[] {
    return this.table.values()
      .filter((a) => a.accountId === accountId && a.region === region && (groupName === undefined || a.groupName === groupName))
      .sort((a, b) => b.seq - a.seq);
  }

  get(activityId: string): ActivityDoc | undefined {
    return this.table.get(activityId);
  }
}
