/**
 * Descriptors of API resources as discovery, the router and the registry see them.
 * The built-in set is generated from the Kubernetes 1.32 OpenAPI spec (tools/gen) into
 * src/api/generated/builtin-resources.ts; CRDs add more at run time (API machinery issue).
 */

export interface SubresourceSpec {
  /** e.g. "status", "scale", "binding", "eviction", "token", "log". */
  name: string;
  /** GVK of the subresource's request/response body (e.g. autoscaling/v1 Scale). */
  group: string;
  version: string;
  kind: string;
  verbs: string[];
}

export interface ResourceSpec {
  group: string;
  version: string;
  /** Plural lowercase name used in URLs, e.g. "deployments". */
  resource: string;
  kind: string;
  listKind: string;
  singularName: string;
  namespaced: boolean;
  /** Discovery verbs, sorted as kube-apiserver lists them. */
  verbs: string[];
  shortNames: string[];
  categories: string[];
  subresources: SubresourceSpec[];
}

/** A group and its versions, preferred version first. */
export interface GroupSpec {
  name: string;
  versions: string[];
}
