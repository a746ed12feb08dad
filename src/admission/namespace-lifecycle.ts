/**
 * NamespaceLifecycle (plugin/pkg/admission/namespace/lifecycle): no writes into a namespace that
 * does not exist, no new content in a Terminating one, and the immortal namespaces can't be deleted.
 */
import { forbidden, notFound } from '../apimachinery/errors.js';
import type { Registry } from '../registry/registry.js';
import type { AdmissionAttributes, AdmissionPlugin } from './types.js';

const IMMORTAL = new Set(['default', 'kube-system', 'kube-public']);

interface NamespaceState { json: string; terminating: boolean }

export function namespaceLifecycle(registry: Registry): AdmissionPlugin {
  const namespaces = registry.storeOf('', 'namespaces');
  // Every namespaced write reads its namespace: decode it only when its stored JSON changed
  // (kube reads a lister here; the stored text is the cheapest "did it change" check we have).
  const seen = new Map<string, NamespaceState>();
  const stateOf = async (name: string): Promise<NamespaceState> => {
    const json = await namespaces.getJson('', name);
    const hit = seen.get(name);
    if (hit && hit.json === json) return hit;
    const ns = JSON.parse(json) as { status?: { phase?: string }; metadata?: { deletionTimestamp?: string } };
    const state = { json, terminating: ns.status?.phase === 'Terminating' || !!ns.metadata?.deletionTimestamp };
    if (seen.size > 10_000) seen.clear();
    seen.set(name, state);
    return state;
  };
  return {
    name: 'NamespaceLifecycle',
    async validate(a: AdmissionAttributes): Promise<void> {
      if (a.group === '' && a.resource === 'namespaces') {
        if (a.operation === 'DELETE' && IMMORTAL.has(a.name)) {
          throw forbidden({ group: '', resource: 'namespaces' }, a.name, 'this namespace may not be deleted');
        }
        return;
      }
      if (!a.namespace || a.operation === 'DELETE') return;
      let ns: NamespaceState;
      try {
        ns = await stateOf(a.namespace);
      } catch {
        seen.delete(a.namespace);
        if (a.operation === 'CREATE' || a.operation === 'UPDATE') throw notFound({ group: '', resource: 'namespaces' }, a.namespace);
        return;
      }
      if (a.operation === 'CREATE' && ns.terminating) {
        throw forbidden({ group: a.group, resource: a.resource }, a.name,
          `unable to create new content in namespace ${a.namespace} because it is being terminated`);
      }
    },
  };
}
