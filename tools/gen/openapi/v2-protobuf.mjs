// Encodes the served OpenAPI v2 (swagger) document as the gnostic protobuf message
// openapi.v2.Document (github.com/google/gnostic-models/openapiv2/OpenAPIv2.proto), which
// kube-apiserver serves at /openapi/v2 for Accept application/com.github.proto-openapi.spec.v2
// @v1.0+protobuf (kube-openapi pkg/handler ToProtoBinary = openapi_v2.ParseDocument + proto.Marshal).
// kubectl asks for this form when it falls back from v3 (explain --output=plaintext-openapiv2,
// client-side validation, patch metadata of custom kinds).
// Only the shapes the Kubernetes spec uses are encoded; anything else throws so a new spec
// feature is noticed at generation time. Field numbers are those of OpenAPIv2.proto; fields are
// written in field-number order and proto3 defaults ('' / false / empty lists) are omitted, as
// Go's proto.Marshal does. Vendor extensions and other free-form values are gnostic `Any`
// messages carrying the value as YAML text (compiler.Marshal), which is what clients parse.
import YAML from 'yaml';

/** A protobuf message under construction: a list of already-encoded fields. */
class Message {
  constructor() { this.parts = []; }
  string(field, value) {
    if (value === undefined || value === '') return this;
    if (typeof value !== 'string') throw new Error(`field ${field}: expected a string, got ${JSON.stringify(value)}`);
    return this.bytes(field, Buffer.from(value, 'utf8'));
  }
  strings(field, values) {
    for (const v of values ?? []) this.bytes(field, Buffer.from(String(v), 'utf8'));
    return this;
  }
  bool(field, value) {
    if (value === undefined || value === false) return this;
    if (value !== true) throw new Error(`field ${field}: expected a boolean, got ${JSON.stringify(value)}`);
    this.parts.push(varint(field << 3), varint(1));
    return this;
  }
  /** A bool member of a oneof: written even when false, as Go writes a set oneof. */
  oneofBool(field, value) {
    this.parts.push(varint(field << 3), varint(value ? 1 : 0));
    return this;
  }
  message(field, msg) {
    if (msg === undefined) return this;
    return this.bytes(field, msg.finish());
  }
  messages(field, msgs) {
    for (const m of msgs) this.message(field, m);
    return this;
  }
  bytes(field, buf) {
    this.parts.push(varint((field << 3) | 2), varint(buf.length), buf);
    return this;
  }
  finish() { return Buffer.concat(this.parts); }
}

function varint(n) {
  const out = [];
  while (n > 127) { out.push((n % 128) | 128); n = Math.floor(n / 128); }
  out.push(n);
  return Buffer.from(out);
}

function checkKeys(obj, allowed, where) {
  for (const k of Object.keys(obj)) {
    if (!allowed.includes(k) && !k.startsWith('x-')) throw new Error(`v2 protobuf: unsupported key "${k}" in ${where}`);
  }
}

/** gnostic Any{yaml = 2}. */
function anyYaml(value) {
  return new Message().string(2, YAML.stringify(value));
}

/** repeated NamedAny vendor_extension: every "x-" key, in document order. */
function vendorExtensions(obj) {
  return Object.keys(obj).filter((k) => k.startsWith('x-')).map((k) => new Message().string(1, k).message(2, anyYaml(obj[k])));
}

// Schema: 1 _ref, 2 format, 4 description, 19 required, 21 additional_properties,
// 22 type, 23 items, 24 all_of, 25 properties, 31 vendor_extension.
const SCHEMA_KEYS = ['$ref', 'format', 'description', 'required', 'additionalProperties', 'type', 'items', 'allOf', 'properties'];
function schema(s, where) {
  checkKeys(s, SCHEMA_KEYS, where);
  const m = new Message().string(1, s.$ref).string(2, s.format).string(4, s.description).strings(19, s.required);
  if (s.additionalProperties !== undefined) {
    const ap = new Message();
    if (typeof s.additionalProperties === 'boolean') ap.oneofBool(2, s.additionalProperties);
    else ap.message(1, schema(s.additionalProperties, `${where}.additionalProperties`));
    m.message(21, ap);
  }
  if (s.type !== undefined) m.message(22, new Message().strings(1, Array.isArray(s.type) ? s.type : [s.type]));
  if (s.items !== undefined) {
    const items = Array.isArray(s.items) ? s.items : [s.items];
    m.message(23, new Message().messages(1, items.map((x, i) => schema(x, `${where}.items[${i}]`))));
  }
  if (s.allOf) m.messages(24, s.allOf.map((x, i) => schema(x, `${where}.allOf[${i}]`)));
  if (s.properties) {
    m.message(25, new Message().messages(1, Object.entries(s.properties).map(([k, v]) => new Message().string(1, k).message(2, schema(v, `${where}.${k}`)))));
  }
  return m.messages(31, vendorExtensions(s));
}

// Non-body parameter sub-schemas. Query/FormData: 1 required, 2 in, 3 description, 4 name,
// 5 allow_empty_value, 6 type, 7 format, 20 unique_items, 23 vendor_extension.
// Path/Header: 1 required, 2 in, 3 description, 4 name, 5 type, 6 format, 19 unique_items,
// 22 vendor_extension.
const PARAM_KEYS = ['name', 'in', 'description', 'required', 'type', 'format', 'uniqueItems', 'schema'];
function parameter(p, where) {
  checkKeys(p, PARAM_KEYS, where);
  if (p.in === 'body') {
    // Parameter{1 body_parameter: BodyParameter{1 description, 2 name, 3 in, 4 required, 5 schema, 6 vendor_extension}}
    const body = new Message().string(1, p.description).string(2, p.name).string(3, p.in).bool(4, p.required)
      .message(5, schema(p.schema, `${where}.schema`)).messages(6, vendorExtensions(p));
    return new Message().message(1, body);
  }
  let sub;
  let oneofField;
  if (p.in === 'query' || p.in === 'formData') {
    sub = new Message().bool(1, p.required).string(2, p.in).string(3, p.description).string(4, p.name)
      .string(6, p.type).string(7, p.format).bool(20, p.uniqueItems).messages(23, vendorExtensions(p));
    oneofField = p.in === 'query' ? 3 : 2;
  } else if (p.in === 'path' || p.in === 'header') {
    sub = new Message().bool(1, p.required).string(2, p.in).string(3, p.description).string(4, p.name)
      .string(5, p.type).string(6, p.format).bool(19, p.uniqueItems).messages(22, vendorExtensions(p));
    oneofField = p.in === 'path' ? 4 : 1;
  } else throw new Error(`v2 protobuf: parameter location "${p.in}" in ${where}`);
  // Parameter{2 non_body_parameter: NonBodyParameter{<oneofField>: sub}}
  return new Message().message(2, new Message().message(oneofField, sub));
}

/** ParametersItem{1 parameter | 2 json_reference: JsonReference{1 _ref, 2 description}}. */
function parametersItem(p, where) {
  if (p.$ref !== undefined) {
    checkKeys(p, ['$ref', 'description'], where);
    return new Message().message(2, new Message().string(1, p.$ref).string(2, p.description));
  }
  return new Message().message(1, parameter(p, where));
}

// Operation: 1 tags, 3 description, 5 operation_id, 6 produces, 7 consumes, 8 parameters,
// 9 responses, 10 schemes, 11 deprecated, 13 vendor_extension.
const OPERATION_KEYS = ['tags', 'description', 'operationId', 'produces', 'consumes', 'parameters', 'responses', 'schemes', 'deprecated'];
function operation(op, where) {
  checkKeys(op, OPERATION_KEYS, where);
  const m = new Message().strings(1, op.tags).string(3, op.description).string(5, op.operationId)
    .strings(6, op.produces).strings(7, op.consumes)
    .messages(8, (op.parameters ?? []).map((p, i) => parametersItem(p, `${where}.parameters[${i}]`)));
  // Responses{1 response_code: NamedResponseValue{1 name, 2 ResponseValue{1 response: Response{1 description, 2 schema: SchemaItem{1 schema}}}}}
  const codes = Object.entries(op.responses ?? {}).map(([code, r]) => {
    checkKeys(r, ['description', 'schema'], `${where}.responses.${code}`);
    const resp = new Message().string(1, r.description);
    if (r.schema) resp.message(2, new Message().message(1, schema(r.schema, `${where}.responses.${code}.schema`)));
    return new Message().string(1, code).message(2, new Message().message(1, resp));
  });
  m.message(9, new Message().messages(1, codes));
  return m.strings(10, op.schemes).bool(11, op.deprecated).messages(13, vendorExtensions(op));
}

const METHOD_FIELDS = { get: 2, put: 3, post: 4, delete: 5, options: 6, head: 7, patch: 8 };

// PathItem: 2..8 operations, 9 parameters, 10 vendor_extension.
function pathItem(item, where) {
  checkKeys(item, [...Object.keys(METHOD_FIELDS), 'parameters'], where);
  const m = new Message();
  for (const [method, field] of Object.entries(METHOD_FIELDS)) if (item[method]) m.message(field, operation(item[method], `${where}.${method}`));
  m.messages(9, (item.parameters ?? []).map((p, i) => parametersItem(p, `${where}.parameters[${i}]`)));
  return m.messages(10, vendorExtensions(item));
}

/**
 * openapi.v2.Document for a swagger object: 1 swagger, 2 info, 8 paths, 9 definitions,
 * 10 parameters, 12 security, 13 security_definitions, 16 vendor_extension.
 * @returns {Buffer}
 */
export function encodeSwaggerProtobuf(doc) {
  checkKeys(doc, ['swagger', 'info', 'paths', 'definitions', 'parameters', 'security', 'securityDefinitions'], 'document');
  checkKeys(doc.info, ['title', 'version', 'description'], 'info');
  const m = new Message().string(1, doc.swagger)
    .message(2, new Message().string(1, doc.info.title).string(2, doc.info.version).string(3, doc.info.description).messages(7, vendorExtensions(doc.info)));
  // Paths{2 path: NamedPathItem{1 name, 2 value}}
  m.message(8, new Message().messages(2, Object.entries(doc.paths).map(([p, item]) => new Message().string(1, p).message(2, pathItem(item, p)))));
  // Definitions{1 additional_properties: NamedSchema}
  m.message(9, new Message().messages(1, Object.entries(doc.definitions ?? {}).map(([n, s]) => new Message().string(1, n).message(2, schema(s, n)))));
  // ParameterDefinitions{1 additional_properties: NamedParameter{1 name, 2 Parameter}}
  if (doc.parameters) m.message(10, new Message().messages(1, Object.entries(doc.parameters).map(([n, p]) => new Message().string(1, n).message(2, parameter(p, `parameters.${n}`)))));
  // SecurityRequirement{1 additional_properties: NamedStringArray{1 name, 2 StringArray{1 value}}}
  for (const req of doc.security ?? []) {
    m.message(12, new Message().messages(1, Object.entries(req).map(([n, scopes]) => new Message().string(1, n).message(2, new Message().strings(1, scopes)))));
  }
  if (doc.securityDefinitions) {
    // SecurityDefinitions{1: NamedSecurityDefinitionsItem{1 name, 2 SecurityDefinitionsItem{2 api_key_security: ApiKeySecurity{1 type, 2 name, 3 in, 4 description}}}}
    const items = Object.entries(doc.securityDefinitions).map(([n, d]) => {
      checkKeys(d, ['type', 'name', 'in', 'description'], `securityDefinitions.${n}`);
      if (d.type !== 'apiKey') throw new Error(`v2 protobuf: security definition type ${d.type}`);
      const apiKey = new Message().string(1, d.type).string(2, d.name).string(3, d.in).string(4, d.description).messages(5, vendorExtensions(d));
      return new Message().string(1, n).message(2, new Message().message(2, apiKey));
    });
    m.message(13, new Message().messages(1, items));
  }
  return m.messages(16, vendorExtensions(doc)).finish();
}
