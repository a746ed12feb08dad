/**
 * Which built-in resources a keks cluster serves: every resource of the 1.32 catalog that is
 * plain storage, plus the review resources. Other virtual resources that compute answers (component
 * statuses) and APIService aggregation are left out until something implements them, so
 * discovery never advertises an endpoint that would silently store a request instead.
 */
import type { GroupSpec, ResourceSpec } from '../api/resources.js';
import { BUILTIN_GROUPS, BUILTIN_RESOURCES } from '../api/generated/builtin-resources.js';

// The review groups (authentication.k8s.io, authorization.k8s.io) are served: apiserver/authz/reviews.ts
// answers their create-only resources before the generic store is reached.
const NOT_SERVED_GROUPS = new Set(['apiregistration.k8s.io']);
const NOT_SERVED = new Set(['/bindings', '/componentstatuses']);

export function servedResources(): ResourceSpec[] {
  return BUILTIN_RESOURCES.filter((r) => !NOT_SERVED_GROUPS.has(r.group) && !NOT_SERVED.has(`${r.group}/${r.resource}`));
}

export function servedGroups(): GroupSpec[] {
  return BUILTIN_GROUPS.filter((g) => !NOT_SERVED_GROUPS.has(g.name));
}
