/**
 * core/v1 Event ⇄ events.k8s.io/v1 Event: one stored object, two shapes
 * (pkg/apis/events/v1/conversion.go). Storage is core/v1.
 */
import type { KubeObject } from '../../api/types.js';
import type { Converter } from '../conversion.js';

/** events.k8s.io/v1 field ← core/v1 field. */
const RENAMES: Array<[string, string]> = [
  ['regarding', 'involvedObject'],
  ['note', 'message'],
  ['reportingController', 'reportingComponent'],
  ['deprecatedSource', 'source'],
  ['deprecatedFirstTimestamp', 'firstTimestamp'],
  ['deprecatedLastTimestamp', 'lastTimestamp'],
  ['deprecatedCount', 'count'],
];

function rename(obj: KubeObject, pairs: Array<[string, string]>, apiVersion: string): KubeObject {
  const out: KubeObject = { ...obj, apiVersion };
  for (const [to, from] of pairs) {
    if (from in out) {
      out[to] = out[from];
      delete out[from];
    }
  }
  return out;
}

export const eventsConverter: Converter = {
  toServed(obj, apiVersion) {
    if (apiVersion === 'v1') return obj.apiVersion === 'v1' ? obj : { ...obj, apiVersion };
    return rename(obj, RENAMES, apiVersion);
  },
  toStorage(obj, apiVersion) {
    if (obj.apiVersion === 'v1' || obj.apiVersion === undefined) { obj.apiVersion = apiVersion; return obj; }
    return rename(obj, RENAMES.map(([a, b]) => [b, a]), apiVersion);
  },
};
