/**
 * The /openapi/v2 part of CRDs, as apiextensions-apiserver pkg/controller/openapi/builder
 * BuildOpenAPIV2 builds it and the openapi controller merges it into the served swagger:
 * per served version a definition named `<reversed group>.<version>.<Kind>` (and its List) with
 * `x-kubernetes-group-version-kind`, the schema converted to v2 as
 * pkg/controller/openapi/v2 ToStructuralOpenAPIV2 does (allOf/oneOf/anyOf/not dropped; a
 * nullable or x-kubernetes-preserve-unknown-fields node loses its type/items/properties; an
 * array without items loses its type; keys v2 cannot express are dropped), and the REST paths
 * with kube-openapi operation IDs (`listComExampleV1NamespacedWidget` style:
 * verb + friendly group + version + Namespaced? + Kind + subresource).
 */
import type { Crd, CrdVersion } from '../../registry/crd/types.js';
import type { JSONSchemaProps } from '../../registry/crd/schema.js';
import { reversedGroup } from './openapi.js';

type Obj = Record<string, unknown>;
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';
const ref = (name: string): Obj => ({ $ref: `#/definitions/${name}` });

/** Schema keys a v2 Schema can carry (besides x- extensions). */
const V2_KEYS = new Set(['$ref', 'format', 'title', 'description', 'default', 'multipleOf', 'maximum', 'exclusiveMaximum', 'minimum',
  'exclusiveMinimum', 'maxLength', 'minLength', 'pattern', 'maxItems', 'minItems', 'uniqueItems', 'maxProperties', 'minProperties',
  'required', 'enum', 'additionalProperties', 'type', 'items', 'properties', 'example']);

/** ToStructuralOpenAPIV2 + ToKubeOpenAPI of one schema node (recursively). */
export function toOpenApiV2Schema(s: JSONSchemaProps): Obj {
  const src = s as Obj;
  const out: Obj = {};
  for (const [k, v] of Object.entries(src)) {
    if (v === undefined || v === null) continue;
    if (k.startsWith('x-') || V2_KEYS.has(k)) out[k] = v;
  }
  if (src.nullable === true) { delete out.type; delete out.items; delete out.properties; }
  if (src['x-kubernetes-preserve-unknown-fields'] === true) { delete out.items; delete out.properties; }
  if (out.type === 'array' && out.items === undefined) delete out.type;
  if (out.properties) {
    const props = out.properties as Record<string, JSONSchemaProps>;
    out.properties = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, toOpenApiV2Schema(v)]));
    // A nullable field may be absent/null: upstream drops it from required in v2.
    if (Array.isArray(out.required)) {
      const req = (out.required as string[]).filter((f) => !(props[f] as Obj | undefined)?.nullable);
      if (req.length) out.required = req; else delete out.required;
    }
  }
  if (out.items && typeof out.items === 'object' && !Array.isArray(out.items)) out.items = toOpenApiV2Schema(out.items as JSONSchemaProps);
  if (out.additionalProperties && typeof out.additionalProperties === 'object') out.additionalProperties = toOpenApiV2Schema(out.additionalProperties as JSONSchemaProps);
  return out;
}

/** "stable.example.com" → "stableExampleCom" (apiserver endpoints/openapi friendly group name). */
function friendlyGroup(group: string): string {
  return group.split(/[.-]/).filter(Boolean).map((p, i) => (i === 0 ? p : p[0].toUpperCase() + p.slice(1))).join('');
}
const title = (s: string) => s[0].toUpperCase() + s.slice(1);

const DESC = {
  apiVersion: 'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
  kind: 'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
  metadata: "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
  listMetadata: 'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
};

function q(name: string, type: string, description: string): Obj {
  return { description, in: 'query', name, type, uniqueItems: true };
}
const Q = {
  dryRun: q('dryRun', 'string', 'When present, indicates that modifications should not be persisted. An invalid or unrecognized dryRun directive will result in an error response and no further processing of the request. Valid values are: - All: all dry run stages will be processed'),
  fieldManager: q('fieldManager', 'string', 'fieldManager is a name associated with the actor or entity that is making these changes. The value must be less than or 128 characters long, and only contain printable characters, as defined by https://golang.org/pkg/unicode/#IsPrint.'),
  fieldValidation: q('fieldValidation', 'string', 'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore - Warn - Strict.'),
  force: q('force', 'boolean', 'Force is going to "force" Apply requests. It means user will re-acquire conflicting fields owned by other people. Force flag must be unset for non-apply patch requests.'),
  pretty: q('pretty', 'string', "If 'true', then the output is pretty printed."),
  labelSelector: q('labelSelector', 'string', 'A selector to restrict the list of returned objects by their labels. Defaults to everything.'),
  fieldSelector: q('fieldSelector', 'string', 'A selector to restrict the list of returned objects by their fields. Defaults to everything.'),
  limit: q('limit', 'integer', 'limit is a maximum number of responses to return for a list call.'),
  cont: q('continue', 'string', 'The continue option should be set when retrieving more results from the server.'),
  resourceVersion: q('resourceVersion', 'string', 'resourceVersion sets a constraint on what resource versions a request may be served from.'),
  watch: q('watch', 'boolean', 'Watch for changes to the described resources and return them as a stream of add, update, and remove notifications.'),
  gracePeriod: q('gracePeriodSeconds', 'integer', 'The duration in seconds before the object should be deleted. Value must be non-negative integer.'),
  propagation: q('propagationPolicy', 'string', "Whether and how garbage collection will be performed. Either this field or OrphanDependents may be set, but not both. Acceptable values are: 'Orphan' - orphan the dependents; 'Background' - allow the garbage collector to delete the dependents in the background; 'Foreground' - a cascading policy that deletes all dependents in the foreground."),
};
const body = (schema: Obj): Obj => ({ in: 'body', name: 'body', required: true, schema });
const ok = (schema: Obj, ...codes: string[]): Obj => Object.fromEntries([...codes.map((c) => [c, { description: c === '201' ? 'Created' : c === '202' ? 'Accepted' : 'OK', schema }]), ['401', { description: 'Unauthorized' }]]);
const JSON_TYPES = ['application/json', 'application/yaml'];
const PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml'];

interface KindV2 { group: string; version: string; kind: string; plural: string; namespaced: boolean; def: string; listDef: string }

function paths(k: KindV2, v: CrdVersion): Record<string, Obj> {
  const gvk = { group: k.group, kind: k.kind, version: k.version };
  const ns = k.namespaced ? 'Namespaced' : '';
  const base = `/apis/${k.group}/${k.version}${k.namespaced ? '/namespaces/{namespace}' : ''}/${k.plural}`;
  const prefix = friendlyGroup(k.group) + title(k.version);
  const op = (verb: string, action: string, description: string, sub: string, extra: Obj, kind: Obj = gvk): Obj => ({
    consumes: verb === 'patch' ? PATCH_TYPES : ['*/*'], description,
    operationId: `${verb}${title(prefix)}${ns}${k.kind}${sub}`, produces: [...JSON_TYPES], schemes: ['https'],
    tags: [`${friendlyGroup(k.group)}_${k.version}`], ...extra,
    'x-kubernetes-action': action, 'x-kubernetes-group-version-kind': kind,
  });
  const common = [
    ...(k.namespaced ? [{ description: 'object name and auth scope, such as for teams and projects', in: 'path', name: 'namespace', required: true, type: 'string', uniqueItems: true }] : []),
    Q.pretty,
  ];
  const named = [{ description: `name of the ${k.kind}`, in: 'path', name: 'name', required: true, type: 'string', uniqueItems: true }, ...common];
  const obj = ref(k.def);
  const status = ref(`${META}Status`);
  const patch = (sub: string, what: string, schemaRef: Obj, kind?: Obj) => op('patch', 'patch', `partially update ${what}`, sub, { parameters: [body(ref(`${META}Patch`)), Q.dryRun, Q.fieldManager, Q.fieldValidation, Q.force], responses: ok(schemaRef, '200', '201') }, kind);
  const replace = (sub: string, what: string, schemaRef: Obj, kind?: Obj) => op('replace', 'put', `replace ${what}`, sub, { parameters: [body(schemaRef), Q.dryRun, Q.fieldManager, Q.fieldValidation], responses: ok(schemaRef, '200', '201') }, kind);
  const out: Record<string, Obj> = {
    [base]: {
      delete: op('deletecollection', 'deletecollection', `delete collection of ${k.kind}`, '', { parameters: [Q.cont, Q.dryRun, Q.fieldSelector, Q.gracePeriod, Q.labelSelector, Q.limit, Q.propagation, Q.resourceVersion], responses: ok(status, '200') }),
      get: op('list', 'list', `list objects of kind ${k.kind}`, '', { parameters: [Q.cont, Q.fieldSelector, Q.labelSelector, Q.limit, Q.resourceVersion, Q.watch], produces: [...JSON_TYPES, 'application/json;stream=watch'], responses: ok(ref(k.listDef), '200') }),
      parameters: common,
      post: op('create', 'post', `create a ${k.kind}`, '', { parameters: [body(obj), Q.dryRun, Q.fieldManager, Q.fieldValidation], responses: ok(obj, '200', '201', '202') }),
    },
    [`${base}/{name}`]: {
      delete: op('delete', 'delete', `delete a ${k.kind}`, '', { parameters: [Q.dryRun, Q.gracePeriod, Q.propagation], responses: ok(status, '200', '202') }),
      get: op('read', 'get', `read the specified ${k.kind}`, '', { parameters: [Q.resourceVersion], responses: ok(obj, '200') }),
      parameters: named,
      patch: patch('', `the specified ${k.kind}`, obj),
      put: replace('', `the specified ${k.kind}`, obj),
    },
  };
  if (v.subresources?.status) {
    out[`${base}/{name}/status`] = {
      get: op('read', 'get', `read status of the specified ${k.kind}`, 'Status', { parameters: [Q.resourceVersion], responses: ok(obj, '200') }),
      parameters: named,
      patch: patch('Status', `status of the specified ${k.kind}`, obj),
      put: replace('Status', `status of the specified ${k.kind}`, obj),
    };
  }
  if (v.subresources?.scale) {
    const scale = ref('io.k8s.api.autoscaling.v1.Scale');
    const scaleGvk = { group: 'autoscaling', kind: 'Scale', version: 'v1' };
    out[`${base}/{name}/scale`] = {
      get: op('read', 'get', `read scale of the specified ${k.kind}`, 'Scale', { parameters: [Q.resourceVersion], responses: ok(scale, '200') }, scaleGvk),
      parameters: named,
      patch: patch('Scale', `scale of the specified ${k.kind}`, scale, scaleGvk),
      put: replace('Scale', `scale of the specified ${k.kind}`, scale, scaleGvk),
    };
  }
  return out;
}

/** The v2 definitions and paths of every served version of `crd`. */
export function buildCrdSwagger(crd: Crd): { definitions: Record<string, Obj>; paths: Record<string, Obj> } {
  const definitions: Record<string, Obj> = {};
  const allPaths: Record<string, Obj> = {};
  const n = crd.spec.names;
  const listKind = n.listKind ?? `${n.kind}List`;
  for (const v of crd.spec.versions) {
    if (!v.served) continue;
    const prefix = `${reversedGroup(crd.spec.group)}.${v.name}.`;
    const k: KindV2 = { group: crd.spec.group, version: v.name, kind: n.kind, plural: n.plural, namespaced: crd.spec.scope !== 'Cluster', def: prefix + n.kind, listDef: prefix + listKind };
    const schema = toOpenApiV2Schema(v.schema?.openAPIV3Schema ?? ({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true } as JSONSchemaProps));
    const props = { ...((schema.properties as Obj | undefined) ?? {}) };
    props.apiVersion = { description: DESC.apiVersion, type: 'string' };
    props.kind = { description: DESC.kind, type: 'string' };
    props.metadata = { $ref: `#/definitions/${META}ObjectMeta`, description: DESC.metadata };
    schema.properties = props;
    schema.type = 'object';
    schema['x-kubernetes-group-version-kind'] = [{ group: k.group, kind: k.kind, version: k.version }];
    definitions[k.def] = schema;
    definitions[k.listDef] = {
      description: `${listKind} is a list of ${n.kind}`,
      properties: {
        apiVersion: { description: DESC.apiVersion, type: 'string' },
        items: { description: `List of ${n.plural}. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md`, items: ref(k.def), type: 'array' },
        kind: { description: DESC.kind, type: 'string' },
        metadata: { $ref: `#/definitions/${META}ListMeta`, description: DESC.listMetadata },
      },
      required: ['items'],
      type: 'object',
      'x-kubernetes-group-version-kind': [{ group: k.group, kind: listKind, version: k.version }],
    };
    Object.assign(allPaths, paths(k, v));
  }
  return { definitions, paths: allPaths };
}
