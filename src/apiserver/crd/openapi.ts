/**
 * The OpenAPI v3 document of one CRD group-version (/openapi/v3/apis/<group>/<version>), as
 * apiextensions-apiserver pkg/controller/openapi/builder builds it: per kind a schema named by
 * the reversed group (`com.example.v1.Widget`) with `x-kubernetes-group-version-kind`, the
 * metadata property referring to ObjectMeta, a `<Kind>List` schema, and the REST paths with
 * their operations — kubectl explain reads the schemas, and kubectl's field validation looks
 * for the PATCH operation of the GVK and its `fieldValidation` query parameter.
 * meta.k8s.io/v1 component schemas are copied from a built-in document.
 */
import type { Crd, CrdVersion } from '../../registry/crd/types.js';
import type { JSONSchemaProps } from '../../registry/crd/schema.js';

type Obj = Record<string, unknown>;
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

const DESC = {
  apiVersion: 'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
  kind: 'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
  metadata: "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
  listMetadata: 'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
};

/** `example.com` → `com.example` (the definition-name prefix upstream uses for CRDs). */
export function reversedGroup(group: string): string {
  return group.split('.').reverse().join('.');
}

/** The meta.v1 schemas a CR document refers to, with everything they reference. */
export function metaComponents(builtinSchemas: Record<string, unknown>, roots: string[] = ['ObjectMeta', 'ListMeta', 'DeleteOptions', 'Status', 'Patch'].map((n) => META + n)): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const visit = (name: string) => {
    if (out[name] || !builtinSchemas[name]) return;
    out[name] = builtinSchemas[name];
    const text = JSON.stringify(builtinSchemas[name]);
    for (const m of text.matchAll(/#\/components\/schemas\/([A-Za-z0-9_.-]+)/g)) visit(m[1]);
  };
  for (const n of roots) visit(n);
  return out;
}

function param(name: string, inWhere: 'query' | 'path', type: string, description: string, required = false): Obj {
  const p: Obj = { description, in: inWhere, name, schema: { type, uniqueItems: true } };
  if (required) p.required = true;
  return p;
}

const Q = {
  dryRun: param('dryRun', 'query', 'string', 'When present, indicates that modifications should not be persisted. An invalid or unrecognized dryRun directive will result in an error response and no further processing of the request. Valid values are: - All: all dry run stages will be processed'),
  fieldManager: param('fieldManager', 'query', 'string', 'fieldManager is a name associated with the actor or entity that is making these changes. The value must be less than or 128 characters long, and only contain printable characters, as defined by https://golang.org/pkg/unicode/#IsPrint.'),
  fieldValidation: param('fieldValidation', 'query', 'string', 'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore - Warn - Strict.'),
  force: param('force', 'query', 'boolean', 'Force is going to "force" Apply requests. It means user will re-acquire conflicting fields owned by other people. Force flag must be unset for non-apply patch requests.'),
  pretty: param('pretty', 'query', 'string', "If 'true', then the output is pretty printed."),
  labelSelector: param('labelSelector', 'query', 'string', 'A selector to restrict the list of returned objects by their labels. Defaults to everything.'),
  fieldSelector: param('fieldSelector', 'query', 'string', 'A selector to restrict the list of returned objects by their fields. Defaults to everything.'),
  limit: param('limit', 'query', 'integer', 'limit is a maximum number of responses to return for a list call.'),
  cont: param('continue', 'query', 'string', 'The continue option should be set when retrieving more results from the server.'),
  resourceVersion: param('resourceVersion', 'query', 'string', 'resourceVersion sets a constraint on what resource versions a request may be served from.'),
  watch: param('watch', 'query', 'boolean', 'Watch for changes to the described resources and return them as a stream of add, update, and remove notifications.'),
};

function jsonBody(schema: Obj): Obj {
  return { content: { 'application/json': { schema }, 'application/yaml': { schema } } };
}

function response(schema: Obj, code = '200'): Obj {
  return { [code]: { description: code === '201' ? 'Created' : 'OK', content: { 'application/json': { schema }, 'application/yaml': { schema } } } };
}

interface KindInfo { group: string; version: string; kind: string; listKind: string; plural: string; namespaced: boolean; def: string; listDef: string }

function operations(k: KindInfo, v: CrdVersion): Record<string, Obj> {
  const gvk = { group: k.group, version: k.version, kind: k.kind };
  const base = `/apis/${k.group}/${k.version}${k.namespaced ? '/namespaces/{namespace}' : ''}/${k.plural}`;
  const nsParam = k.namespaced ? [param('namespace', 'path', 'string', 'object name and auth scope, such as for teams and projects', true)] : [];
  const op = (action: string, verb: string, extra: Obj) => ({
    description: `${verb} ${k.kind}`, operationId: `${verb}${k.kind}`, tags: [`${k.group}_${k.version}`],
    'x-kubernetes-action': action, 'x-kubernetes-group-version-kind': gvk, ...extra,
  });
  const obj = ref(k.def);
  const patchBody = { content: Object.fromEntries(['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json'].map((t) => [t, { schema: ref(`${META}Patch`) }])) };
  const itemOps = (what: string) => ({
    get: op('get', `read${what}`, { responses: response(obj) }),
    put: op('put', `replace${what}`, { parameters: [Q.dryRun, Q.fieldManager, Q.fieldValidation], requestBody: jsonBody(obj), responses: { ...response(obj), ...response(obj, '201') } }),
    patch: op('patch', `patch${what}`, { parameters: [Q.dryRun, Q.fieldManager, Q.fieldValidation, Q.force], requestBody: patchBody, responses: response(obj) }),
  });
  const nameParam = param('name', 'path', 'string', `name of the ${k.kind}`, true);
  const paths: Record<string, Obj> = {
    [base]: {
      get: op('list', 'list', { parameters: [Q.cont, Q.fieldSelector, Q.labelSelector, Q.limit, Q.resourceVersion, Q.watch], responses: response(ref(k.listDef)) }),
      post: op('post', 'create', { parameters: [Q.dryRun, Q.fieldManager, Q.fieldValidation], requestBody: jsonBody(obj), responses: { ...response(obj), ...response(obj, '201') } }),
      delete: op('deletecollection', 'deletecollection', { responses: response(ref(`${META}Status`)) }),
      parameters: [...nsParam, Q.pretty],
    },
    [`${base}/{name}`]: {
      ...itemOps(''),
      delete: op('delete', 'delete', { parameters: [Q.dryRun], requestBody: jsonBody(ref(`${META}DeleteOptions`)), responses: response(ref(`${META}Status`)) }),
      parameters: [nameParam, ...nsParam, Q.pretty],
    },
  };
  if (v.subresources?.status) paths[`${base}/{name}/status`] = { ...itemOps('Status'), parameters: [nameParam, ...nsParam, Q.pretty] };
  if (v.subresources?.scale) {
    const scaleRef = ref('io.k8s.api.autoscaling.v1.Scale');
    paths[`${base}/{name}/scale`] = {
      get: { ...op('get', 'readScale', { responses: response(scaleRef) }), 'x-kubernetes-group-version-kind': { group: 'autoscaling', version: 'v1', kind: 'Scale' } },
      parameters: [nameParam, ...nsParam, Q.pretty],
    };
  }
  return paths;
}

/** The CR schema as published: apiVersion/kind/metadata described, GVK attached. */
function kindSchema(s: JSONSchemaProps | undefined, k: KindInfo): Obj {
  const schema = structuredClone(s ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }) as Obj;
  const props = { ...((schema.properties as Obj | undefined) ?? {}) };
  props.apiVersion = { description: DESC.apiVersion, type: 'string' };
  props.kind = { description: DESC.kind, type: 'string' };
  props.metadata = { allOf: [ref(`${META}ObjectMeta`)], description: DESC.metadata };
  schema.properties = props;
  schema.type = 'object';
  schema['x-kubernetes-group-version-kind'] = [{ group: k.group, kind: k.kind, version: k.version }];
  return schema;
}

function listSchema(k: KindInfo): Obj {
  return {
    description: `${k.listKind} is a list of ${k.kind}`,
    properties: {
      apiVersion: { description: DESC.apiVersion, type: 'string' },
      items: { description: `List of ${k.plural}. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md`, items: ref(k.def), type: 'array' },
      kind: { description: DESC.kind, type: 'string' },
      metadata: { allOf: [ref(`${META}ListMeta`)], description: DESC.listMetadata },
    },
    required: ['items'],
    type: 'object',
    'x-kubernetes-group-version-kind': [{ group: k.group, kind: k.listKind, version: k.version }],
  };
}

/**
 * The document of `group/version` over every CRD serving it (several CRDs may share a
 * group-version). `meta` is metaComponents() of a built-in document; `scale` the autoscaling/v1
 * Scale schema (optional).
 */
export function buildGroupVersionDocument(crds: Crd[], group: string, version: string, meta: Record<string, unknown>, scaleSchema?: unknown): Obj {
  const paths: Obj = {};
  const schemas: Obj = { ...meta };
  for (const crd of crds) {
    const v = crd.spec.versions.find((x) => x.name === version && x.served);
    if (!v) continue;
    const n = crd.spec.names;
    const prefix = `${reversedGroup(group)}.${version}.`;
    const k: KindInfo = {
      group, version, kind: n.kind, listKind: n.listKind ?? `${n.kind}List`, plural: n.plural,
      namespaced: crd.spec.scope !== 'Cluster', def: prefix + n.kind, listDef: prefix + (n.listKind ?? `${n.kind}List`),
    };
    schemas[k.def] = kindSchema(v.schema?.openAPIV3Schema, k);
    schemas[k.listDef] = listSchema(k);
    Object.assign(paths, operations(k, v));
    if (v.subresources?.scale && scaleSchema) schemas['io.k8s.api.autoscaling.v1.Scale'] = scaleSchema;
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes CRD Swagger', version: 'v0.1.0' },
    paths,
    components: { schemas, securitySchemes: { BearerToken: { description: 'Bearer Token authentication', in: 'header', name: 'authorization', type: 'apiKey' } } },
  };
}
