/**
 * batch/v1 defaults (pkg/apis/batch/v1/defaults.go) with the pod-template walk. Gates at 1.32
 * defaults: JobPodReplacementPolicy and JobBackoffLimitPerIndex are on. A CronJob's jobTemplate
 * gets only the type-level defaults (pod template, pod-failure-policy patterns), not SetDefaults_Job.
 */
import { defaultPodTemplateSpec } from './pod.js';
import { defaultNil, defaultString, isEmptyCollection, isNil, itemsOf, objOf, struct, clone, type Obj } from './util.js';

const MAX_INT32 = 2147483647;

/** SetDefaults_PodFailurePolicyOnPodConditionsPattern: status True. */
function defaultPodFailurePolicy(policy: unknown): void {
  for (const rule of itemsOf(objOf(policy)?.rules)) {
    for (const pattern of itemsOf(rule.onPodConditions)) defaultString(pattern, 'status', 'True');
  }
}

/** The JobSpec walk zz_generated applies wherever a JobSpec appears (Job and CronJob jobTemplate). */
function defaultJobSpecTypes(spec: Obj): void {
  defaultPodFailurePolicy(spec.podFailurePolicy);
  defaultPodTemplateSpec(spec.template);
}

/** SetDefaults_Job. */
export function defaultJob(job: Obj): void {
  const spec = struct(job, 'spec');
  if (isNil(spec.completions) && isNil(spec.parallelism)) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  defaultNil(spec, 'parallelism', 1);
  if (isNil(spec.backoffLimit)) spec.backoffLimit = isNil(spec.backoffLimitPerIndex) ? 6 : MAX_INT32;
  const templateLabels = objOf(objOf(objOf(spec.template)?.metadata)?.labels);
  if (templateLabels) {
    const meta = struct(job, 'metadata');
    if (isEmptyCollection(meta.labels)) meta.labels = clone(templateLabels);
  }
  defaultNil(spec, 'completionMode', 'NonIndexed');
  defaultNil(spec, 'suspend', false);
  if (isNil(spec.podReplacementPolicy)) spec.podReplacementPolicy = isNil(spec.podFailurePolicy) ? 'TerminatingOrFailed' : 'Failed';
  defaultNil(spec, 'manualSelector', false);
  defaultJobSpecTypes(spec);
}

/** SetDefaults_CronJob: Allow, not suspended, history limits 3 and 1. */
export function defaultCronJob(cj: Obj): void {
  const spec = struct(cj, 'spec');
  defaultString(spec, 'concurrencyPolicy', 'Allow');
  defaultNil(spec, 'suspend', false);
  defaultNil(spec, 'successfulJobsHistoryLimit', 3);
  defaultNil(spec, 'failedJobsHistoryLimit', 1);
  const jobTemplate = objOf(spec.jobTemplate);
  if (!jobTemplate) return;
  // JobTemplateSpec.metadata is a non-pointer ObjectMeta (written with creationTimestamp: null).
  jobTemplate.metadata = { creationTimestamp: null, ...(objOf(jobTemplate.metadata) ?? {}) };
  defaultJobSpecTypes(struct(jobTemplate, 'spec'));
}
