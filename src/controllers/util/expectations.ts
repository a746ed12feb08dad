/**
 * ControllerExpectations (pkg/controller/controller_utils.go): a controller that just asked for
 * N creations/deletions does not act on the same key again until its informer has observed
 * them (or the expectations expire after 5 minutes), so a stale cache never causes double work.
 */
import type { Clock } from '../../util/clock.js';

/** ExpectationsTimeout: expectations older than this are considered satisfied. */
export const EXPECTATIONS_TIMEOUT_MS = 5 * 60_000;

interface Expectation { add: number; del: number; at: number }

export class ControllerExpectations {
  private readonly items = new Map<string, Expectation>();

  constructor(private readonly clock: Clock) {}

  /** SatisfiedExpectations: nothing outstanding, expired, or never set. */
  satisfied(key: string): boolean {
    const e = this.items.get(key);
    if (!e) return true;
    if (e.add <= 0 && e.del <= 0) return true;
    return this.clock.now() - e.at > EXPECTATIONS_TIMEOUT_MS;
  }

  /** SetExpectations (ExpectCreations / ExpectDeletions). */
  expect(key: string, add: number, del: number): void {
    this.items.set(key, { add, del, at: this.clock.now() });
  }

  /** CreationObserved / a failed create lowers the expectation as well. */
  creationObserved(key: string): void {
    const e = this.items.get(key);
    if (e) e.add--;
  }

  /** DeletionObserved / a failed delete. */
  deletionObserved(key: string): void {
    const e = this.items.get(key);
    if (e) e.del--;
  }

  delete(key: string): void {
    this.items.delete(key);
  }
}

/**
 * UIDTrackingControllerExpectations for deletions: remembers which pod keys a delete was asked
 * for, so a pod observed as deleted lowers the count once only.
 */
export class DeletionTracker {
  private readonly keys = new Map<string, Set<string>>();

  constructor(private readonly exp: ControllerExpectations) {}

  expectDeletions(ctlKey: string, podKeys: string[]): void {
    this.keys.set(ctlKey, new Set(podKeys));
    this.exp.expect(ctlKey, 0, podKeys.length);
  }

  deletionObserved(ctlKey: string, podKey: string): void {
    const s = this.keys.get(ctlKey);
    if (s?.delete(podKey)) this.exp.deletionObserved(ctlKey);
  }

  delete(ctlKey: string): void {
    this.keys.delete(ctlKey);
    this.exp.delete(ctlKey);
  }
}
