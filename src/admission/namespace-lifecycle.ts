/**
 * NamespaceLifecycle (plugin/pkg/admission/namespace/lifecycle): no writes into a namespace that
 * does not exist, no new content in a Terminating one, and the immortal namespaces can't be deleted.
 */
import { forbidden, notFound } from '../apimachinery/errors.js';
import type { Registry } from '../registry/registry.js';
import type { AdmissionAttributes, AdmissionPlugin } from './types.js';

const IMMORTAL = new Set(['default', 'kube-system', 'kube-public']);

export function namespaceLifecycle(registry: Registry): AdmissionPlugin {
  const namespaces = registry.storeOf('', 'namespaces');
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
      let ns;
      try {
        ns = await namespaces.get('', a.namespace);
      } catch {
        if (a.operation === 'CREATE' || a.operation === 'UPDATE') throw notFound({ group: '', resource: 'namespaces' }, a.namespace);
        return;
      }
      const phase = (ns.status as { phase?: string } | undefined)?.phase;
      if (a.operation === 'CREATE' && (phase === 'Terminating' || ns.metadata.deletionTimestamp)) {
        throw forbidden({ group: a.group, resource: a.resource }, a.name,
          `unable to create new content in namespace ${a.namespace} because it is being terminated`);
      }
    },
  };
}
