// Converts the Kubernetes OpenAPI v2 (swagger) document into the per-group-version OpenAPI 3.0
// documents that kube-apiserver serves at /openapi/v3/<key>.
//
// Mirrors k8s.io/kube-openapi/pkg/builder3 (one document per web service root, e.g. "api/v1",
// "apis/apps/v1", "apis/apps", "version"): non-body parameters become `schema`-carrying v3
// parameters, the body parameter becomes `requestBody` with one entry per `consumes` media type,
// responses get one `content` entry per `produces` media type, refs move from `#/definitions/` to
// `#/components/schemas/`, and every $ref that has siblings (description, default, …) is wrapped
// in `allOf: [{$ref}]` as kube-openapi/pkg/builder3/util.WrapRefs does. Types that implement
// OpenAPIV3OneOfTypes (IntOrString, Quantity) get their v3 `oneOf` form.
// What v2 cannot tell us: the `default` values openapi-gen adds to v3 only (e.g. `default: {}`
// on non-pointer struct fields) — those are absent from our documents.

const V2_DEF = '#/definitions/';
const V3_DEF = '#/components/schemas/';
const V2_PARAM = '#/parameters/';
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'];

/** v3 overrides for definitions whose Go types declare OpenAPIV3OneOfTypes (k8s.io/apimachinery). */
const V3_ONE_OF = {
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': [{ type: 'integer' }, { type: 'string' }],
  'io.k8s.apimachinery.pkg.api.resource.Quantity': [{ type: 'string' }, { type: 'number' }],
};

/**
 * The document key a v2 path belongs to: "/api/v1/pods" → "api/v1", "/apis/apps/" → "apis/apps",
 * "/logs/{logpath}" → "logs", "/version/" → "version".
 */
export function docKeyOfPath(p) {
  const segs = p.split('/').filter(Boolean);
  if (segs[0] === 'api') return segs.length > 1 ? `api/${segs[1]}` : 'api';
  if (segs[0] === 'apis') return segs.slice(0, Math.min(3, segs.length)).join('/');
  if (segs[0] === 'logs') return 'logs';
  return segs.join('/');
}

/** Deep-converts a v2 schema to v3 (refs renamed, refs with siblings wrapped in allOf). */
export function convertSchema(schema) {
  if (Array.isArray(schema)) return schema.map(convertSchema);
  if (schema === null || typeof schema !== 'object') return schema;
  const out = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === '$ref' && typeof v === 'string') out[k] = v.startsWith(V2_DEF) ? V3_DEF + v.slice(V2_DEF.length) : v;
    else if (k === 'properties' || k === 'patternProperties' || k === 'definitions') out[k] = mapValues(v, convertSchema);
    else if (k === 'items' || k === 'additionalProperties' || k === 'not' || k === 'additionalItems') out[k] = typeof v === 'object' ? convertSchema(v) : v;
    else if (k === 'allOf' || k === 'anyOf' || k === 'oneOf') out[k] = v.map(convertSchema);
    else out[k] = v; // description, type, format, enum, default, x-kubernetes-* … are copied as they are
  }
  if (out.$ref !== undefined && Object.keys(out).length > 1) {
    const ref = out.$ref;
    delete out.$ref;
    out.allOf = [{ $ref: ref }];
  }
  return out;
}

/** Converts one named definition (applies the v3-only oneOf forms). */
export function convertDefinition(name, def) {
  const out = convertSchema(def);
  const oneOf = V3_ONE_OF[name];
  if (oneOf) {
    delete out.type;
    out.oneOf = oneOf;
  }
  return out;
}

function mapValues(obj, fn) {
  const out = {};
  for (const [k, v] of Object.entries(obj)) out[k] = fn(v);
  return out;
}

function resolveParam(v2, p) {
  if (p.$ref && p.$ref.startsWith(V2_PARAM)) {
    const found = v2.parameters?.[p.$ref.slice(V2_PARAM.length)];
    if (!found) throw new Error(`unresolved parameter ${p.$ref}`);
    return found;
  }
  return p;
}

const PARAM_LEVEL_KEYS = new Set(['name', 'in', 'description', 'required', 'allowEmptyValue', 'deprecated']);

/** A v2 non-body parameter → v3 parameter ({name,in,description,required,schema}). */
function convertParameter(p) {
  const out = {};
  const schema = {};
  for (const [k, v] of Object.entries(p)) {
    if (PARAM_LEVEL_KEYS.has(k)) out[k] = v;
    else if (k === 'collectionFormat') continue;
    else schema[k] = k === 'items' ? convertSchema(v) : v;
  }
  if (Object.keys(schema).length) out.schema = schema;
  return out;
}

function convertParameters(v2, params) {
  const out = [];
  let body;
  for (const raw of params ?? []) {
    const p = resolveParam(v2, raw);
    if (p.in === 'body') body = p;
    else out.push(convertParameter(p));
  }
  return { params: out, body };
}

function content(mediaTypes, schema) {
  const out = {};
  for (const mt of mediaTypes) out[mt] = { schema };
  return out;
}

function convertOperation(v2, op) {
  const out = {};
  const { params, body } = convertParameters(v2, op.parameters);
  for (const [k, v] of Object.entries(op)) {
    if (k === 'parameters' || k === 'consumes' || k === 'produces' || k === 'schemes' || k === 'responses') continue;
    out[k] = v; // description, operationId, tags, deprecated, x-kubernetes-action, x-kubernetes-group-version-kind
  }
  if (params.length) out.parameters = params;
  if (body) {
    out.requestBody = { content: content(op.consumes ?? ['application/json'], convertSchema(body.schema)) };
    if (body.required) out.requestBody.required = true;
  }
  out.responses = {};
  for (const [code, r] of Object.entries(op.responses ?? {})) {
    const resp = { description: r.description ?? '' };
    if (r.schema) resp.content = content(op.produces ?? ['application/json'], convertSchema(r.schema));
    out.responses[code] = resp;
  }
  return out;
}

function convertPathItem(v2, item) {
  const out = {};
  for (const [k, v] of Object.entries(item)) {
    if (k === 'parameters') {
      const { params } = convertParameters(v2, v);
      if (params.length) out.parameters = params;
    } else if (HTTP_METHODS.includes(k)) out[k] = convertOperation(v2, v);
    else out[k] = v;
  }
  return out;
}

/** Names of definitions reachable (transitively) from `roots` (any JSON holding v2 or v3 refs). */
export function reachableDefinitions(v2, roots) {
  const seen = new Set();
  const stack = [];
  const visit = (node) => {
    if (Array.isArray(node)) { for (const n of node) visit(n); return; }
    if (node === null || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') {
        const name = v.startsWith(V2_DEF) ? v.slice(V2_DEF.length) : v.startsWith(V3_DEF) ? v.slice(V3_DEF.length) : null;
        if (name && !seen.has(name)) { seen.add(name); stack.push(name); }
      } else visit(v);
    }
  };
  visit(roots);
  while (stack.length) {
    const name = stack.pop();
    const def = v2.definitions[name];
    if (!def) throw new Error(`unresolved definition ${name}`);
    visit(def);
  }
  return [...seen].sort();
}

/**
 * Builds the OpenAPI 3.0 document for `docKey` from the v2 paths `includePath` accepts.
 * @param {object} v2 the swagger document
 * @param {string} docKey e.g. "api/v1"
 * @param {{ includePath?: (p: string) => boolean, infoVersion: string }} opts
 */
export function buildV3Document(v2, docKey, opts) {
  const include = opts.includePath ?? (() => true);
  const paths = {};
  for (const p of Object.keys(v2.paths).sort()) {
    if (docKeyOfPath(p) !== docKey || !include(p)) continue;
    paths[p] = convertPathItem(v2, v2.paths[p]);
  }
  const schemas = {};
  for (const name of reachableDefinitions(v2, paths)) schemas[name] = convertDefinition(name, v2.definitions[name]);
  const securitySchemes = {};
  for (const [k, v] of Object.entries(v2.securityDefinitions ?? {})) securitySchemes[k] = { ...v };
  return {
    openapi: '3.0.0',
    info: { title: v2.info?.title ?? 'Kubernetes', version: opts.infoVersion },
    paths,
    components: { schemas, securitySchemes },
  };
}
