/**
 * EKS's Fargate admission (the mutating webhook EKS runs for clusters with Fargate profiles): a
 * new pod that matches an ACTIVE Fargate profile's selector — namespace, plus every label the
 * selector lists, both allowing the `*` and `?` wildcards — gets `spec.schedulerName:
 * fargate-scheduler` and the annotation `eks.amazonaws.com/fargate-profile: <profile>`, so the
 * default scheduler leaves it alone and the Fargate controller (src/cluster/fargate.ts) gives it
 * its own node.
 *
 * Profile choice, as EKS documents it: a pod labelled `eks.amazonaws.com/fargate-profile: <name>`
 * uses that profile (if it matches one of its selectors); otherwise the first matching profile in
 * the order the lookup returns them (by name). Pods already bound (spec.nodeName), pods asking for
 * another scheduler and DaemonSet pods (which Fargate does not run) are left alone.
 */
import type { AdmissionAttributes, AdmissionPlugin } from './types.js';

export const FARGATE_SCHEDULER_NAME = 'fargate-scheduler';
export const FARGATE_PROFILE_ANNOTATION = 'eks.amazonaws.com/fargate-profile';
/** A pod label that picks a profile when several match. */
export const FARGATE_PROFILE_LABEL = 'eks.amazonaws.com/fargate-profile';
const DEFAULT_SCHEDULER = 'default-scheduler';

export interface FargateSelectorView { namespace: string; labels?: Record<string, string> }
export interface FargateProfileView { name: string; selectors: FargateSelectorView[] }

export interface FargateSchedulerOptions {
  /** The cluster's ACTIVE Fargate profiles, in the order to try them (wired by the composition root). */
  profilesFor(): FargateProfileView[];
}

/** `*` matches any run of characters, `?` one character (EKS selector wildcards). */
export function globMatch(pattern: string, value: string): boolean {
  if (!pattern.includes('*') && !pattern.includes('?')) return pattern === value;
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return re.test(value);
}

export function selectorMatches(sel: FargateSelectorView, namespace: string, labels: Record<string, string>): boolean {
  if (!globMatch(sel.namespace, namespace)) return false;
  return Object.entries(sel.labels ?? {}).every(([k, v]) => {
    if (!k.includes('*') && !k.includes('?')) return k in labels && globMatch(v, labels[k]);
    return Object.entries(labels).some(([lk, lv]) => globMatch(k, lk) && globMatch(v, lv));
  });
}

/** The profile a pod goes to, or undefined. */
export function matchingProfile(profiles: FargateProfileView[], namespace: string, labels: Record<string, string>): string | undefined {
  const matches = (p: FargateProfileView): boolean => p.selectors.some((s) => selectorMatches(s, namespace, labels));
  const wanted = labels[FARGATE_PROFILE_LABEL];
  if (wanted) {
    const p = profiles.find((x) => x.name === wanted);
    return p && matches(p) ? p.name : undefined;
  }
  return profiles.find(matches)?.name;
}

export function fargateScheduler(o: FargateSchedulerOptions): AdmissionPlugin {
  return {
    name: 'EksFargateScheduler',
    mutate(a: AdmissionAttributes): void {
      if (a.operation !== 'CREATE' || a.group !== '' || a.resource !== 'pods' || a.subresource !== '' || !a.object) return;
      const spec = (a.object.spec ?? {}) as { nodeName?: string; schedulerName?: string };
      if (spec.nodeName || (spec.schedulerName && spec.schedulerName !== DEFAULT_SCHEDULER)) return;
      if ((a.object.metadata.ownerReferences ?? []).some((r) => r.controller && r.kind === 'DaemonSet')) return;
      const profiles = o.profilesFor();
      if (profiles.length === 0) return;
      const ns = a.object.metadata.namespace || a.namespace;
      const profile = matchingProfile(profiles, ns, a.object.metadata.labels ?? {});
      if (!profile) return;
      a.object.spec = { ...spec, schedulerName: FARGATE_SCHEDULER_NAME };
      a.object.metadata.annotations = { ...a.object.metadata.annotations, [FARGATE_PROFILE_ANNOTATION]: profile };
    },
  };
}
