/**
 * ELBv2's query action table (describe, write and create actions) over its store; imported on
 * the AWS endpoint's first request (elbv2.ts openElbv2), not while keks starts.
 */
import type { Ec2Backend } from '../../core/backends.js';
import type { QueryHandler } from '../../core/types.js';
import type { Elbv2Store } from './backend.js';
import { createActions } from './create-actions.js';
import { describeActions } from './describe-actions.js';
import { writeActions } from './write-actions.js';

export function elbv2Actions(store: Elbv2Store, ec2: Ec2Backend | undefined): Record<string, QueryHandler> {
  return { ...describeActions(store), ...writeActions(store), ...createActions(store, ec2) };
}
