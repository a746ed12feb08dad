/**
 * batch/v1 Job rules (pkg/registry/batch/job/strategy.go): unless `spec.manualSelector` is true,
 * the selector and the template labels are generated from the Job's name and uid, in
 * PrepareForCreate (the store fills in uid and name before it, as upstream).
 */
import type { KubeObject } from '../../api/types.js';
import { nameIsDNSSubdomain } from '../../apimachinery/validation/names.js';
import { defaultStrategy } from '../default-strategy.js';
import type { Strategy } from '../strategy.js';

type Obj = Record<string, unknown>;

function objAt(parent: Obj, key: string): Obj {
  const v = parent[key];
  if (v && typeof v === 'object' && !Array.isArray(v)) return v as Obj;
  const o: Obj = {};
  parent[key] = o;
  return o;
}

/** generateSelector: job-name / controller-uid labels (legacy and batch.kubernetes.io/ forms) and a controller-uid selector. */
export function generateJobSelector(job: KubeObject): void {
  const spec = objAt(job as Obj, 'spec');
  const labels = objAt(objAt(objAt(spec, 'template'), 'metadata'), 'labels') as Record<string, string>;
  const name = job.metadata.name ?? '';
  const uid = job.metadata.uid ?? '';
  // A label the user set keeps its value; a conflict is then refused by validation.
  for (const k of ['job-name', 'batch.kubernetes.io/job-name']) if (!(k in labels)) labels[k] = name;
  for (const k of ['controller-uid', 'batch.kubernetes.io/controller-uid']) if (!(k in labels)) labels[k] = uid;
  const matchLabels = objAt(objAt(spec, 'selector'), 'matchLabels') as Record<string, string>;
  if (!('batch.kubernetes.io/controller-uid' in matchLabels)) matchLabels['batch.kubernetes.io/controller-uid'] = uid;
}

export function jobStrategy(): Strategy {
  const base = defaultStrategy({ hasStatus: true, validateName: nameIsDNSSubdomain, tracksGeneration: true });
  return {
    ...base,
    prepareForCreate(obj, ctx) {
      base.prepareForCreate(obj, ctx);
      if ((obj.spec as Obj | undefined)?.manualSelector !== true) generateJobSelector(obj);
    },
  };
}
