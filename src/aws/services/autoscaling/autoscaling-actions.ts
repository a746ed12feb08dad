/**
 * Auto Scaling's query action table (describe and group actions) over the group engine;
 * imported on the AWS endpoint's first request (autoscaling.ts openAutoScaling), not while keks
 * starts.
 */
import type { Ec2Backend } from '../../core/backends.js';
import type { QueryHandler } from '../../core/types.js';
import { describeActions } from './describe-actions.js';
import type { GroupEngine } from './engine.js';
import { groupActions } from './group-actions.js';

export function autoScalingActions(engine: GroupEngine, ec2: Ec2Backend): Record<string, QueryHandler> {
  return { ...describeActions(engine), ...groupActions(engine, ec2) };
}
