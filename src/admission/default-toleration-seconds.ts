/**
 * DefaultTolerationSeconds (plugin/pkg/admission/defaulttolerationseconds): every new pod that
 * does not already tolerate the `node.kubernetes.io/not-ready` / `node.kubernetes.io/unreachable`
 * NoExecute taints gets a toleration for each with tolerationSeconds 300, so taint-based eviction
 * removes it 5 minutes after its node goes NotReady or unreachable.
 */
import type { AdmissionAttributes, AdmissionPlugin } from './types.js';

export const NOT_READY_TAINT = 'node.kubernetes.io/not-ready';
export const UNREACHABLE_TAINT = 'node.kubernetes.io/unreachable';
/** --default-not-ready-toleration-seconds / --default-unreachable-toleration-seconds (both 300). */
export const DEFAULT_TOLERATION_SECONDS = 300;

interface Toleration { key?: string; operator?: string; value?: string; effect?: string; tolerationSeconds?: number }

/** As the plugin: a toleration with this key (or no key) and NoExecute (or no effect) counts. */
function covers(ts: Toleration[], key: string): boolean {
  return ts.some((t) => (t.key === key || !t.key) && (t.effect === 'NoExecute' || !t.effect));
}

export function defaultTolerationSeconds(seconds = DEFAULT_TOLERATION_SECONDS): AdmissionPlugin {
  return {
    name: 'DefaultTolerationSeconds',
    mutate(a: AdmissionAttributes): void {
      if (a.operation !== 'CREATE' || a.group !== '' || a.resource !== 'pods' || a.subresource !== '' || !a.object) return;
      const spec = (a.object.spec ?? {}) as { tolerations?: Toleration[] };
      const ts = [...(spec.tolerations ?? [])];
      let changed = false;
      for (const key of [NOT_READY_TAINT, UNREACHABLE_TAINT]) {
        if (covers(ts, key)) continue;
        ts.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: seconds });
        changed = true;
      }
      if (changed) a.object.spec = { ...spec, tolerations: ts };
    },
  };
}
