/**
 * The pods a Job creates (job_controller.go manageJob / indexed_job_utils.go): the template's
 * labels, annotations and spec, the controller reference, the `batch.kubernetes.io/job-tracking`
 * finalizer, generateName `<job>-` (Indexed: `<job>-<index>-`, the completion index as annotation
 * and label, hostname `<job>-<index>` and the JOB_COMPLETION_INDEX variable in every container).
 */
import type { KubeObject, OwnerReference } from '../../api/types.js';
import { COMPLETION_INDEX, JOB_TRACKING_FINALIZER, jobSpec } from './status.js';

type Container = { env?: Array<Record<string, unknown>> } & Record<string, unknown>;

export function podForJob(job: KubeObject, ownerRef: OwnerReference, index?: number): KubeObject {
  const t = jobSpec(job).template ?? {};
  const tm = (t.metadata ?? {}) as { labels?: Record<string, string>; annotations?: Record<string, string>; finalizers?: string[] };
  const name = job.metadata.name as string;
  const metadata: KubeObject['metadata'] = {
    generateName: index === undefined ? `${name}-` : `${name}-${index}-`,
    namespace: job.metadata.namespace,
    labels: { ...(tm.labels ?? {}) },
    ownerReferences: [ownerRef],
    finalizers: [...(tm.finalizers ?? []).filter((f) => f !== JOB_TRACKING_FINALIZER), JOB_TRACKING_FINALIZER],
  };
  if (tm.annotations) metadata.annotations = { ...tm.annotations };
  const spec = structuredClone(t.spec ?? {}) as Record<string, unknown>;
  if (index !== undefined) {
    metadata.annotations = { ...(metadata.annotations ?? {}), [COMPLETION_INDEX]: String(index) };
    metadata.labels = { ...(metadata.labels ?? {}), [COMPLETION_INDEX]: String(index) };
    if (spec.hostname === undefined) spec.hostname = `${name}-${index}`;
    const envVar = { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${COMPLETION_INDEX}']` } } };
    for (const list of [spec.containers, spec.initContainers]) {
      for (const c of (Array.isArray(list) ? list : []) as Container[]) {
        if (!(c.env ?? []).some((e) => e.name === 'JOB_COMPLETION_INDEX')) c.env = [...(c.env ?? []), envVar];
      }
    }
  }
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec };
}
