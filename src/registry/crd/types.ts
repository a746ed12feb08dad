/**
 * CustomResourceDefinition (apiextensions.k8s.io/v1) as keks reads it, and helpers to pick
 * versions out of one.
 */
import type { KubeObject } from '../../api/types.js';
import type { JSONSchemaProps } from './schema.js';

export interface CrdNames {
  plural: string;
  singular?: string;
  kind: string;
  listKind?: string;
  shortNames?: string[];
  categories?: string[];
}

export interface PrinterColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

export interface ScaleSubresource {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

export interface CrdVersion {
  name: string;
  served: boolean;
  storage: boolean;
  deprecated?: boolean;
  deprecationWarning?: string;
  schema?: { openAPIV3Schema?: JSONSchemaProps };
  subresources?: { status?: Record<string, never>; scale?: ScaleSubresource };
  additionalPrinterColumns?: PrinterColumn[];
  selectableFields?: Array<{ jsonPath: string }>;
}

export interface CrdSpec {
  group: string;
  names: CrdNames;
  scope: 'Namespaced' | 'Cluster';
  versions: CrdVersion[];
  conversion?: { strategy?: 'None' | 'Webhook'; webhook?: unknown };
  preserveUnknownFields?: boolean;
}

export interface CrdCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface CrdStatus {
  conditions?: CrdCondition[];
  acceptedNames?: CrdNames;
  storedVersions?: string[];
}

export interface Crd extends KubeObject {
  spec: CrdSpec;
  status?: CrdStatus;
}

export const CRD_GROUP = 'apiextensions.k8s.io';
export const CRD_RESOURCE = 'customresourcedefinitions';
/** The finalizer that keeps a CRD until its custom resources are gone (customresourcecleanup). */
export const CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';

export function storageVersion(crd: Crd): CrdVersion | undefined {
  return crd.spec.versions?.find((v) => v.storage);
}

/**
 * Served versions in kube-aware version priority order (GA > beta > alpha, higher numbers first,
 * then non-kube-like names alphabetically), as apiextensions sorts them for discovery.
 */
export function sortVersions(names: string[]): string[] {
  const parse = (v: string): [number, number, number] | null => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return null;
    return [Number(m[1]), m[2] === 'alpha' ? 0 : m[2] === 'beta' ? 1 : 2, m[3] ? Number(m[3]) : 0];
  };
  return [...names].sort((a, b) => {
    const pa = parse(a);
    const pb = parse(b);
    if (pa && pb) {
      if (pa[1] !== pb[1]) return pb[1] - pa[1];
      if (pa[0] !== pb[0]) return pb[0] - pa[0];
      return pb[2] - pa[2];
    }
    if (pa) return -1;
    if (pb) return 1;
    return a < b ? -1 : a > b ? 1 : 0;
  });
}
