import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../util/clock.js';
import { ControllerExpectations, DeletionTracker, EXPECTATIONS_TIMEOUT_MS } from './expectations.js';

describe('controller expectations', () => {
  it('are satisfied once every expected creation is observed, or after the timeout', () => {
    const clock = new FakeClock();
    const e = new ControllerExpectations(clock);
    assert.equal(e.satisfied('ns/rs'), true);
    e.expect('ns/rs', 2, 0);
    assert.equal(e.satisfied('ns/rs'), false);
    e.creationObserved('ns/rs');
    assert.equal(e.satisfied('ns/rs'), false);
    e.creationObserved('ns/rs');
    assert.equal(e.satisfied('ns/rs'), true);
    e.expect('ns/rs', 1, 0);
    clock.step(EXPECTATIONS_TIMEOUT_MS + 1);
    assert.equal(e.satisfied('ns/rs'), true, 'expired');
  });

  it('deletions count each pod once', () => {
    const e = new ControllerExpectations(new FakeClock());
    const d = new DeletionTracker(e);
    d.expectDeletions('ns/rs', ['ns/a', 'ns/b']);
    d.deletionObserved('ns/rs', 'ns/a');
    d.deletionObserved('ns/rs', 'ns/a');
    assert.equal(e.satisfied('ns/rs'), false);
    d.deletionObserved('ns/rs', 'ns/b');
    assert.equal(e.satisfied('ns/rs'), true);
  });
});
