/**
 * schemaFor(apiVersion, kind) of a registry: built-in kinds from the generated 1.32 schema; custom
 * resources from their CRD's openAPIV3Schema (read once per served store — a changed CRD gets a
 * new store from Registry.addDynamic, so the cache follows it); anything else is deduced.
 */
import type { KubeObject } from '../../api/types.js';
import type { GenericStore } from '../generic/store.js';
import type { Registry } from '../registry.js';
import { fromStructuralSchema, type StructuralSchema } from './crd-schema.js';
import { builtinSchemas, DEDUCED, type TypeNode } from './schema.js';

const CRD_GROUP = 'apiextensions.k8s.io';
const CRD_RESOURCE = 'customresourcedefinitions';

interface CrdVersionLike { name?: string; schema?: { openAPIV3Schema?: StructuralSchema } }

const crdCache = new WeakMap<GenericStore, Map<string, TypeNode>>();

function versionOf(apiVersion: string): string {
  const i = apiVersion.indexOf('/');
  return i < 0 ? apiVersion : apiVersion.slice(i + 1);
}

/** The ownership schema of objects served by `store` at apiVersion/kind. */
export async function schemaFor(registry: Registry, store: GenericStore, apiVersion: string, kind: string): Promise<TypeNode> {
  const b = builtinSchemas().lookup(apiVersion, kind);
  if (b) return b;
  let perVersion = crdCache.get(store);
  const hit = perVersion?.get(apiVersion);
  if (hit) return hit;
  let schema: TypeNode = DEDUCED;
  try {
    const crd: KubeObject = await registry.storeOf(CRD_GROUP, CRD_RESOURCE).get('', `${store.resource}.${store.group}`);
    const versions = ((crd.spec as { versions?: CrdVersionLike[] } | undefined)?.versions) ?? [];
    const v = versions.find((x) => x.name === versionOf(apiVersion));
    schema = fromStructuralSchema(v?.schema?.openAPIV3Schema);
  } catch {
    schema = fromStructuralSchema(undefined);
  }
  if (!perVersion) { perVersion = new Map(); crdCache.set(store, perVersion); }
  perVersion.set(apiVersion, schema);
  return schema;
}
