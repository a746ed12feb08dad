/** Compact builders for the bootstrap policy tables (upstream's rbacv1helpers.NewRule(...).Groups(...).Resources(...)). */
import type { PolicyRule } from './types.js';

export const READ = ['get', 'list', 'watch'];
export const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];
export const RW = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
export const EVENTS_WRITE = ['create', 'patch', 'update'];

/** A resource rule: verbs, groups, resources[, resourceNames], field order as the golden files print them. */
export function r(verbs: string[], apiGroups: string[], resources: string[], resourceNames?: string[]): PolicyRule {
  return resourceNames ? { apiGroups, resourceNames, resources, verbs } : { apiGroups, resources, verbs };
}

/** A non-resource rule. */
export function u(verbs: string[], nonResourceURLs: string[]): PolicyRule {
  return { nonResourceURLs, verbs };
}

/** The events rule every controller role ends with (eventsRule() in controller_policy.go). */
export const EVENTS = r(EVENTS_WRITE, ['', 'events.k8s.io'], ['events']);
