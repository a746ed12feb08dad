/**
 * The size rules of an Auto Scaling group, as AWS applies them (and moto mirrors):
 * - UpdateAutoScalingGroup without DesiredCapacity: a new MinSize above the current desired
 *   capacity raises it to MinSize; a new MaxSize below it lowers it to MaxSize.
 * - With DesiredCapacity it must lie within the (new) bounds: ValidationError
 *   "Desired capacity:2 must be between the specified min size:4 and max size:10".
 * - SetDesiredCapacity outside the bounds: "New SetDesiredCapacity value 3 is above max value 2
 *   for the AutoScalingGroup." (or "below min value").
 */
import { AwsError } from '../../core/types.js';

export interface Sizes {
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
}

export function validationError(message: string): AwsError {
  return new AwsError('ValidationError', message, 400);
}

function checkBounds(min: number, max: number): void {
  if (min < 0) throw validationError(`Min size must be greater than or equal to 0`);
  if (max < min) throw validationError(`Max bound, ${max}, must be greater than or equal to min bound, ${min}`);
}

function checkDesired(s: Sizes): void {
  if (s.desiredCapacity < s.minSize || s.desiredCapacity > s.maxSize) {
    throw validationError(`Desired capacity:${s.desiredCapacity} must be between the specified min size:${s.minSize} and max size:${s.maxSize}`);
  }
}

/** Sizes of a new group (DesiredCapacity defaults to MinSize). */
export function initialSizes(min: number, max: number, desired: number | undefined): Sizes {
  checkBounds(min, max);
  const s = { minSize: min, maxSize: max, desiredCapacity: desired ?? min };
  checkDesired(s);
  return s;
}

/** UpdateAutoScalingGroup's sizes from the current ones and the request's optional ones. */
export function updatedSizes(cur: Sizes, req: { minSize?: number; maxSize?: number; desiredCapacity?: number }): Sizes {
  const minSize = req.minSize ?? cur.minSize;
  const maxSize = req.maxSize ?? cur.maxSize;
  checkBounds(minSize, maxSize);
  let desiredCapacity = req.desiredCapacity ?? cur.desiredCapacity;
  if (req.desiredCapacity === undefined) {
    if (minSize > desiredCapacity) desiredCapacity = minSize;
    if (maxSize < desiredCapacity) desiredCapacity = maxSize;
  }
  const s = { minSize, maxSize, desiredCapacity };
  checkDesired(s);
  return s;
}

/** SetDesiredCapacity's check. */
export function checkSetDesired(cur: Sizes, desired: number): void {
  if (desired > cur.maxSize) throw validationError(`New SetDesiredCapacity value ${desired} is above max value ${cur.maxSize} for the AutoScalingGroup.`);
  if (desired < cur.minSize) throw validationError(`New SetDesiredCapacity value ${desired} is below min value ${cur.minSize} for the AutoScalingGroup.`);
}
