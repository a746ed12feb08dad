/**
 * Priority (plugin/pkg/admission/priority): on pod CREATE, resolves spec.priorityClassName to
 * spec.priority and spec.preemptionPolicy; a pod without a class gets the globalDefault class
 * (the lowest-valued one if several) or priority 0. A pod that states a priority or policy that
 * differs from its class's is refused, as upstream. On UPDATE the stored priority is carried
 * over. For PriorityClasses: only one may be globalDefault.
 *
 * The built-in classes system-cluster-critical (2000000000) and system-node-critical
 * (2000001000) resolve even before their objects exist (kube-apiserver creates them at start).
 */
import type { KubeObject } from '../api/types.js';
import { forbidden } from '../apimachinery/errors.js';
import type { Registry } from '../registry/registry.js';
import { NamespacedObjectIndex } from './object-index.js';
import type { AdmissionAttributes, AdmissionPlugin } from './types.js';

export const SYSTEM_PRIORITY_CLASSES: Readonly<Record<string, number>> = { 'system-cluster-critical': 2000000000, 'system-node-critical': 2000001000 };
const PREEMPT_LOWER = 'PreemptLowerPriority';

interface ClassLike extends KubeObject { value?: number; globalDefault?: boolean; preemptionPolicy?: string }
interface PodSpecLike { priorityClassName?: string; priority?: number | null; preemptionPolicy?: string | null }

/** Where the plugin reads PriorityClasses (cluster-scoped: namespace ''). */
export interface PriorityClassSource {
  all(): Promise<KubeObject[]>;
}

export function registryPriorityClasses(registry: Registry): PriorityClassSource & { stop(): void } {
  const index = new NamespacedObjectIndex(registry.storeOf('scheduling.k8s.io', 'priorityclasses'));
  return { all: () => index.inNamespace(''), stop: () => index.stop() };
}

/** admission.NewForbidden's name: the object's name, else its generateName, else "Unknown". */
function objectName(a: AdmissionAttributes): string {
  return (a.object?.metadata.name as string | undefined) || (a.object?.metadata.generateName as string | undefined) || a.name || 'Unknown';
}

async function resolve(source: PriorityClassSource, spec: PodSpecLike, fail: (msg: string) => Error): Promise<{ name?: string; value: number; policy?: string }> {
  const classes = (await source.all()) as ClassLike[];
  if (!spec.priorityClassName) {
    let def: ClassLike | undefined;
    for (const c of classes) if (c.globalDefault && (!def || (c.value ?? 0) < (def.value ?? 0))) def = c;
    // getDefaultPriority: no globalDefault class → priority 0 with PreemptLowerPriority.
    if (!def) return { value: 0, policy: PREEMPT_LOWER };
    return { name: def.metadata.name as string, value: def.value ?? 0, policy: def.preemptionPolicy ?? PREEMPT_LOWER };
  }
  const pc = classes.find((c) => c.metadata.name === spec.priorityClassName);
  if (pc) return { value: pc.value ?? 0, policy: pc.preemptionPolicy ?? PREEMPT_LOWER };
  const builtin = SYSTEM_PRIORITY_CLASSES[spec.priorityClassName];
  if (builtin !== undefined) return { value: builtin, policy: PREEMPT_LOWER };
  throw fail(`no PriorityClass with name ${spec.priorityClassName} was found`);
}

export function priorityAdmission(source: PriorityClassSource): AdmissionPlugin {
  return {
    name: 'Priority',
    async mutate(a: AdmissionAttributes): Promise<void> {
      if (a.group !== '' || a.resource !== 'pods' || a.subresource !== '' || !a.object) return;
      const spec = (a.object.spec ??= {}) as PodSpecLike;
      if (a.operation === 'UPDATE') {
        const old = (a.oldObject?.spec ?? {}) as PodSpecLike;
        if (spec.priority == null && old.priority != null) spec.priority = old.priority;
        if (spec.preemptionPolicy == null && old.preemptionPolicy != null) spec.preemptionPolicy = old.preemptionPolicy;
        return;
      }
      if (a.operation !== 'CREATE') return;
      const deny = (msg: string): Error => forbidden({ group: '', resource: 'pods' }, objectName(a), msg);
      const r = await resolve(source, spec, deny);
      if (r.name) spec.priorityClassName = r.name;
      if (spec.priority != null && spec.priority !== r.value) {
        throw deny(`the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${r.value} from the given PriorityClass name`);
      }
      spec.priority = r.value;
      if (r.policy) {
        if (spec.preemptionPolicy != null && spec.preemptionPolicy !== r.policy) {
          throw deny(`the string value of PreemptionPolicy (${spec.preemptionPolicy}) must not be provided in pod spec; priority admission controller computed ${r.policy} from the given PriorityClass name`);
        }
        spec.preemptionPolicy = r.policy;
      }
    },
    async validate(a: AdmissionAttributes): Promise<void> {
      if (a.group !== 'scheduling.k8s.io' || a.resource !== 'priorityclasses' || a.subresource !== '' || !a.object) return;
      if (a.operation !== 'CREATE' && a.operation !== 'UPDATE') return;
      const pc = a.object as ClassLike;
      if (!pc.globalDefault) return;
      const other = ((await source.all()) as ClassLike[]).find((c) => c.globalDefault && c.metadata.name !== pc.metadata.name);
      if (other) {
        throw forbidden({ group: 'scheduling.k8s.io', resource: 'priorityclasses' }, pc.metadata.name as string,
          `PriorityClass ${other.metadata.name as string} is already marked as default. Only one default can exist`);
      }
    },
  };
}
