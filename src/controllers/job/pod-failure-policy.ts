/**
 * spec.podFailurePolicy (pkg/controller/job/pod_failure_policy.go matchPodFailurePolicy): the
 * first rule matching a failed pod decides — FailJob fails the Job (reason PodFailurePolicy),
 * Ignore does not count the failure against backoffLimit, Count counts it as usual. Rules match
 * on a container's non-zero exit code (In / NotIn, optionally one container) or on a pod
 * condition (type and status). FailIndex (backoffLimitPerIndex) is treated as Count here.
 */
import type { KubeObject } from '../../api/types.js';

interface ExitCodes { containerName?: string; operator: 'In' | 'NotIn'; values: number[] }
interface ConditionPattern { type: string; status?: string }
interface Rule { action: 'FailJob' | 'Ignore' | 'Count' | 'FailIndex'; onExitCodes?: ExitCodes; onPodConditions?: ConditionPattern[] }
export interface PodFailurePolicy { rules?: Rule[] }

interface ContainerStatus { name: string; state?: { terminated?: { exitCode?: number } } }
interface PodStatus { phase?: string; containerStatuses?: ContainerStatus[]; initContainerStatuses?: ContainerStatus[]; conditions?: Array<{ type: string; status: string }> }

export interface PolicyMatch { action?: Rule['action']; countFailed: boolean; failJobMessage?: string }

function matchExitCodes(st: PodStatus, req: ExitCodes): ContainerStatus | undefined {
  for (const list of [st.containerStatuses ?? [], st.initContainerStatuses ?? []]) {
    for (const cs of list) {
      if (req.containerName && req.containerName !== cs.name) continue;
      const code = cs.state?.terminated?.exitCode;
      if (code === undefined || code === 0) continue;
      if (req.values.includes(code) === (req.operator === 'In')) return cs;
    }
  }
  return undefined;
}

/** matchPodFailurePolicy for a failed pod. */
export function matchPodFailurePolicy(policy: PodFailurePolicy | undefined, pod: KubeObject): PolicyMatch {
  if (!policy) return { countFailed: true };
  const st = (pod.status ?? {}) as PodStatus;
  const where = `${pod.metadata.namespace}/${pod.metadata.name}`;
  for (const [i, rule] of (policy.rules ?? []).entries()) {
    let failJobMessage: string | undefined;
    if (rule.onExitCodes) {
      const cs = matchExitCodes(st, rule.onExitCodes);
      if (!cs) continue;
      failJobMessage = `Container ${cs.name} for pod ${where} failed with exit code ${cs.state?.terminated?.exitCode} matching ${rule.action} rule at index ${i}`;
    } else if (rule.onPodConditions) {
      const c = (st.conditions ?? []).find((pc) => rule.onPodConditions?.some((p) => p.type === pc.type && (p.status ?? 'True') === pc.status));
      if (!c) continue;
      failJobMessage = `Pod ${where} has condition ${c.type} matching ${rule.action} rule at index ${i}`;
    } else {
      continue;
    }
    if (rule.action === 'Ignore') return { action: 'Ignore', countFailed: false };
    if (rule.action === 'FailJob') return { action: 'FailJob', countFailed: true, failJobMessage };
    return { action: rule.action, countFailed: true };
  }
  return { countFailed: true };
}
