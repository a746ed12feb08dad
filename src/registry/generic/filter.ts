/** Label and field selection of objects for list and watch (storage.SelectionPredicate). */
import type { KubeObject } from '../../api/types.js';

export interface ObjectFilter {
  /** True when nothing is filtered (fast path). */
  readonly everything: boolean;
  matches(obj: KubeObject): boolean;
}

export const MATCH_EVERYTHING: ObjectFilter = { everything: true, matches: () => true };
