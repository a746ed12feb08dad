import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AwsError } from '../../core/types.js';
import { checkSetDesired, initialSizes, updatedSizes } from './sizing.js';

function fails(fn: () => unknown, message: string): void {
  assert.throws(fn, (e: unknown) => e instanceof AwsError && e.code === 'ValidationError' && e.status === 400 && e.message === message);
}

describe('Auto Scaling size rules', () => {
  it('a new MinSize above desired raises desired; a new MaxSize below desired lowers it', () => {
    assert.deepEqual(updatedSizes({ minSize: 1, maxSize: 10, desiredCapacity: 2 }, { minSize: 4 }), { minSize: 4, maxSize: 10, desiredCapacity: 4 });
    assert.deepEqual(updatedSizes({ minSize: 1, maxSize: 10, desiredCapacity: 6 }, { maxSize: 3 }), { minSize: 1, maxSize: 3, desiredCapacity: 3 });
    assert.deepEqual(updatedSizes({ minSize: 1, maxSize: 10, desiredCapacity: 6 }, {}), { minSize: 1, maxSize: 10, desiredCapacity: 6 });
  });

  it('an explicit desired capacity must lie within the new bounds', () => {
    fails(() => updatedSizes({ minSize: 1, maxSize: 10, desiredCapacity: 2 }, { minSize: 4, desiredCapacity: 2 }), 'Desired capacity:2 must be between the specified min size:4 and max size:10');
    fails(() => initialSizes(2, 4, 5), 'Desired capacity:5 must be between the specified min size:2 and max size:4');
    fails(() => updatedSizes({ minSize: 1, maxSize: 10, desiredCapacity: 2 }, { minSize: 5, maxSize: 3 }), 'Max bound, 3, must be greater than or equal to min bound, 5');
    assert.deepEqual(initialSizes(2, 4, undefined), { minSize: 2, maxSize: 4, desiredCapacity: 2 });
  });

  it('SetDesiredCapacity outside the bounds is refused with the AWS wording', () => {
    fails(() => checkSetDesired({ minSize: 1, maxSize: 2, desiredCapacity: 2 }, 3), 'New SetDesiredCapacity value 3 is above max value 2 for the AutoScalingGroup.');
    fails(() => checkSetDesired({ minSize: 1, maxSize: 2, desiredCapacity: 2 }, 0), 'New SetDesiredCapacity value 0 is below min value 1 for the AutoScalingGroup.');
    checkSetDesired({ minSize: 1, maxSize: 2, desiredCapacity: 2 }, 1);
  });
});
