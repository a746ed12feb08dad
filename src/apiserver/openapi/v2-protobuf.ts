/**
 * Encodes an OpenAPI v2 (swagger) document as the gnostic protobuf message openapi.v2.Document
 * (github.com/google/gnostic-models/openapiv2/OpenAPIv2.proto), which kube-apiserver serves at
 * /openapi/v2 for Accept application/com.github.proto-openapi.spec.v2.v1.0+protobuf
 * (kube-openapi pkg/handler ToProtoBinary = openapi_v2.ParseDocument + proto.Marshal); kubectl
 * asks for it for explain --output=plaintext-openapiv2 and patch metadata of custom kinds.
 * Port of tools/gen/openapi/v2-protobuf.mjs (which pre-encodes the built-in document), widened
 * to the Schema fields CRD schemas use (enum, default, bounds, pattern, …).
 * Fields are written in field-number order and proto3 defaults are omitted, as Go's
 * proto.Marshal does. Free-form values (vendor extensions, enum, default, example) are gnostic
 * `Any` messages carrying the value as YAML text (compiler.Marshal).
 * Protobuf merges a singular embedded message that appears twice by concatenating its repeated
 * fields, so encodeSwaggerAdditions() output appended to an encoded document adds paths and
 * definitions to it (used to reuse the pre-encoded built-in document).
 */
// The YAML writer is loaded on the first /openapi/v2 protobuf request, not at start-up (util/yaml.ts).
import { yaml } from '../../util/yaml.js';

type Obj = Record<string, unknown>;

/** A protobuf message under construction: a list of already-encoded fields. */
class Message {
  private readonly parts: Buffer[] = [];
  string(field: number, value: unknown): this {
    if (value === undefined || value === '') return this;
    if (typeof value !== 'string') throw new Error(`field ${field}: expected a string, got ${JSON.stringify(value)}`);
    return this.bytes(field, Buffer.from(value, 'utf8'));
  }
  strings(field: number, values: unknown): this {
    for (const v of (values as unknown[] | undefined) ?? []) this.bytes(field, Buffer.from(String(v), 'utf8'));
    return this;
  }
  bool(field: number, value: unknown): this {
    if (value === undefined || value === false) return this;
    if (value !== true) throw new Error(`field ${field}: expected a boolean, got ${JSON.stringify(value)}`);
    this.parts.push(varint(field << 3), varint(1));
    return this;
  }
  /** A bool member of a oneof: written even when false, as Go writes a set oneof. */
  oneofBool(field: number, value: boolean): this {
    this.parts.push(varint(field << 3), varint(value ? 1 : 0));
    return this;
  }
  /** int64 (varint); omitted when undefined or 0. */
  int(field: number, value: unknown): this {
    if (value === undefined || value === 0) return this;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new Error(`field ${field}: expected a non-negative integer, got ${JSON.stringify(value)}`);
    this.parts.push(varint(field << 3), varint(value));
    return this;
  }
  /** double (fixed64); omitted when undefined or 0. */
  double(field: number, value: unknown): this {
    if (value === undefined || value === 0) return this;
    if (typeof value !== 'number') throw new Error(`field ${field}: expected a number, got ${JSON.stringify(value)}`);
    const b = Buffer.alloc(8);
    b.writeDoubleLE(value);
    this.parts.push(varint((field << 3) | 1), b);
    return this;
  }
  message(field: number, msg: Message | undefined): this {
    if (msg === undefined) return this;
    return this.bytes(field, msg.finish());
  }
  messages(field: number, msgs: Message[]): this {
    for (const m of msgs) this.message(field, m);
    return this;
  }
  bytes(field: number, buf: Buffer): this {
    this.parts.push(varint((field << 3) | 2), varint(buf.length), buf);
    return this;
  }
  finish(): Buffer { return Buffer.concat(this.parts); }
}

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n > 127) { out.push((n % 128) | 128); n = Math.floor(n / 128); }
  out.push(n);
  return Buffer.from(out);
}

function checkKeys(obj: Obj, allowed: readonly string[], where: string): void {
  for (const k of Object.keys(obj)) {
    if (!allowed.includes(k) && !k.startsWith('x-')) throw new Error(`v2 protobuf: unsupported key "${k}" in ${where}`);
  }
}

/** gnostic Any{yaml = 2}. */
function anyYaml(value: unknown): Message {
  return new Message().string(2, yaml().stringify(value));
}

/** repeated NamedAny vendor_extension: every "x-" key, in document order. */
function vendorExtensions(obj: Obj): Message[] {
  return Object.keys(obj).filter((k) => k.startsWith('x-')).map((k) => new Message().string(1, k).message(2, anyYaml(obj[k])));
}

// Schema (OpenAPIv2.proto): 1 _ref, 2 format, 3 title, 4 description, 5 default, 6 multiple_of,
// 7 maximum, 8 exclusive_maximum, 9 minimum, 10 exclusive_minimum, 11 max_length, 12 min_length,
// 13 pattern, 14 max_items, 15 min_items, 16 unique_items, 17 max_properties, 18 min_properties,
// 19 required, 20 enum, 21 additional_properties, 22 type, 23 items, 24 all_of, 25 properties,
// 26 discriminator, 27 read_only, 30 example, 31 vendor_extension.
export const V2_SCHEMA_KEYS: readonly string[] = ['$ref', 'format', 'title', 'description', 'default', 'multipleOf', 'maximum', 'exclusiveMaximum',
  'minimum', 'exclusiveMinimum', 'maxLength', 'minLength', 'pattern', 'maxItems', 'minItems', 'uniqueItems', 'maxProperties',
  'minProperties', 'required', 'enum', 'additionalProperties', 'type', 'items', 'allOf', 'properties', 'discriminator', 'readOnly', 'example'];

function schema(s: Obj, where: string): Message {
  checkKeys(s, V2_SCHEMA_KEYS, where);
  const m = new Message().string(1, s.$ref).string(2, s.format).string(3, s.title).string(4, s.description);
  if (s.default !== undefined) m.message(5, anyYaml(s.default));
  m.double(6, s.multipleOf).double(7, s.maximum).bool(8, s.exclusiveMaximum).double(9, s.minimum).bool(10, s.exclusiveMinimum)
    .int(11, s.maxLength).int(12, s.minLength).string(13, s.pattern).int(14, s.maxItems).int(15, s.minItems).bool(16, s.uniqueItems)
    .int(17, s.maxProperties).int(18, s.minProperties).strings(19, s.required);
  if (Array.isArray(s.enum)) m.messages(20, s.enum.map((v) => anyYaml(v)));
  if (s.additionalProperties !== undefined) {
    const ap = new Message();
    if (typeof s.additionalProperties === 'boolean') ap.oneofBool(2, s.additionalProperties);
    else ap.message(1, schema(s.additionalProperties as Obj, `${where}.additionalProperties`));
    m.message(21, ap);
  }
  if (s.type !== undefined) m.message(22, new Message().strings(1, Array.isArray(s.type) ? s.type : [s.type]));
  if (s.items !== undefined) {
    const items = (Array.isArray(s.items) ? s.items : [s.items]) as Obj[];
    m.message(23, new Message().messages(1, items.map((x, i) => schema(x, `${where}.items[${i}]`))));
  }
  if (Array.isArray(s.allOf)) m.messages(24, (s.allOf as Obj[]).map((x, i) => schema(x, `${where}.allOf[${i}]`)));
  if (s.properties) {
    m.message(25, new Message().messages(1, Object.entries(s.properties as Record<string, Obj>).map(([k, v]) => new Message().string(1, k).message(2, schema(v, `${where}.${k}`)))));
  }
  m.string(26, s.discriminator).bool(27, s.readOnly);
  if (s.example !== undefined) m.message(30, anyYaml(s.example));
  return m.messages(31, vendorExtensions(s));
}

// Non-body parameter sub-schemas. Query/FormData: 1 required, 2 in, 3 description, 4 name,
// 5 allow_empty_value, 6 type, 7 format, 20 unique_items, 23 vendor_extension.
// Path/Header: 1 required, 2 in, 3 description, 4 name, 5 type, 6 format, 19 unique_items,
// 22 vendor_extension.
const PARAM_KEYS = ['name', 'in', 'description', 'required', 'type', 'format', 'uniqueItems', 'schema'];
function parameter(p: Obj, where: string): Message {
  checkKeys(p, PARAM_KEYS, where);
  if (p.in === 'body') {
    // Parameter{1 body_parameter: BodyParameter{1 description, 2 name, 3 in, 4 required, 5 schema, 6 vendor_extension}}
    const body = new Message().string(1, p.description).string(2, p.name).string(3, p.in).bool(4, p.required)
      .message(5, schema(p.schema as Obj, `${where}.schema`)).messages(6, vendorExtensions(p));
    return new Message().message(1, body);
  }
  let sub: Message;
  let oneofField: number;
  if (p.in === 'query' || p.in === 'formData') {
    sub = new Message().bool(1, p.required).string(2, p.in).string(3, p.description).string(4, p.name)
      .string(6, p.type).string(7, p.format).bool(20, p.uniqueItems).messages(23, vendorExtensions(p));
    oneofField = p.in === 'query' ? 3 : 2;
  } else if (p.in === 'path' || p.in === 'header') {
    sub = new Message().bool(1, p.required).string(2, p.in).string(3, p.description).string(4, p.name)
      .string(5, p.type).string(6, p.format).bool(19, p.uniqueItems).messages(22, vendorExtensions(p));
    oneofField = p.in === 'path' ? 4 : 1;
  } else throw new Error(`v2 protobuf: parameter location "${String(p.in)}" in ${where}`);
  // Parameter{2 non_body_parameter: NonBodyParameter{<oneofField>: sub}}
  return new Message().message(2, new Message().message(oneofField, sub));
}

/** ParametersItem{1 parameter | 2 json_reference: JsonReference{1 _ref, 2 description}}. */
function parametersItem(p: Obj, where: string): Message {
  if (p.$ref !== undefined) {
    checkKeys(p, ['$ref', 'description'], where);
    return new Message().message(2, new Message().string(1, p.$ref).string(2, p.description));
  }
  return new Message().message(1, parameter(p, where));
}

// Operation: 1 tags, 3 description, 5 operation_id, 6 produces, 7 consumes, 8 parameters,
// 9 responses, 10 schemes, 11 deprecated, 13 vendor_extension.
const OPERATION_KEYS = ['tags', 'description', 'operationId', 'produces', 'consumes', 'parameters', 'responses', 'schemes', 'deprecated'];
function operation(op: Obj, where: string): Message {
  checkKeys(op, OPERATION_KEYS, where);
  const m = new Message().strings(1, op.tags).string(3, op.description).string(5, op.operationId)
    .strings(6, op.produces).strings(7, op.consumes)
    .messages(8, ((op.parameters as Obj[] | undefined) ?? []).map((p, i) => parametersItem(p, `${where}.parameters[${i}]`)));
  // Responses{1 response_code: NamedResponseValue{1 name, 2 ResponseValue{1 response: Response{1 description, 2 schema: SchemaItem{1 schema}}}}}
  const codes = Object.entries((op.responses as Record<string, Obj> | undefined) ?? {}).map(([code, r]) => {
    checkKeys(r, ['description', 'schema'], `${where}.responses.${code}`);
    const resp = new Message().string(1, r.description);
    if (r.schema) resp.message(2, new Message().message(1, schema(r.schema as Obj, `${where}.responses.${code}.schema`)));
    return new Message().string(1, code).message(2, new Message().message(1, resp));
  });
  m.message(9, new Message().messages(1, codes));
  return m.strings(10, op.schemes).bool(11, op.deprecated).messages(13, vendorExtensions(op));
}

const METHOD_FIELDS: Record<string, number> = { get: 2, put: 3, post: 4, delete: 5, options: 6, head: 7, patch: 8 };

// PathItem: 2..8 operations, 9 parameters, 10 vendor_extension.
function pathItem(item: Obj, where: string): Message {
  checkKeys(item, [...Object.keys(METHOD_FIELDS), 'parameters'], where);
  const m = new Message();
  for (const [method, field] of Object.entries(METHOD_FIELDS)) if (item[method]) m.message(field, operation(item[method] as Obj, `${where}.${method}`));
  m.messages(9, ((item.parameters as Obj[] | undefined) ?? []).map((p, i) => parametersItem(p, `${where}.parameters[${i}]`)));
  return m.messages(10, vendorExtensions(item));
}

/** A swagger document (the subset of keys Kubernetes uses). */
export interface SwaggerDocument {
  swagger: string;
  info: { title: string; version: string; description?: string };
  paths: Record<string, Obj>;
  definitions?: Record<string, Obj>;
  parameters?: Record<string, Obj>;
  security?: Record<string, string[]>[];
  securityDefinitions?: Record<string, Obj>;
}

/** Paths{2 path: NamedPathItem} + Definitions{1 additional_properties: NamedSchema} as Document fields 8 and 9. */
function pathsAndDefinitions(m: Message, paths: Record<string, Obj>, definitions: Record<string, Obj>): Message {
  m.message(8, new Message().messages(2, Object.entries(paths).map(([p, item]) => new Message().string(1, p).message(2, pathItem(item, p)))));
  return m.message(9, new Message().messages(1, Object.entries(definitions).map(([n, s]) => new Message().string(1, n).message(2, schema(s, n)))));
}

/**
 * Document fields 8 (paths) and 9 (definitions) holding only `paths` and `definitions`: appended
 * to an encoded document, a protobuf parser merges them into its paths and definitions.
 */
export function encodeSwaggerAdditions(paths: Record<string, Obj>, definitions: Record<string, Obj>): Buffer {
  return pathsAndDefinitions(new Message(), paths, definitions).finish();
}

/**
 * openapi.v2.Document for a swagger object: 1 swagger, 2 info, 8 paths, 9 definitions,
 * 10 parameters, 12 security, 13 security_definitions, 16 vendor_extension.
 */
export function encodeSwaggerProtobuf(doc: SwaggerDocument): Buffer {
  checkKeys(doc as unknown as Obj, ['swagger', 'info', 'paths', 'definitions', 'parameters', 'security', 'securityDefinitions'], 'document');
  checkKeys(doc.info, ['title', 'version', 'description'], 'info');
  const m = new Message().string(1, doc.swagger)
    .message(2, new Message().string(1, doc.info.title).string(2, doc.info.version).string(3, doc.info.description).messages(7, vendorExtensions(doc.info)));
  pathsAndDefinitions(m, doc.paths, doc.definitions ?? {});
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
      if (d.type !== 'apiKey') throw new Error(`v2 protobuf: security definition type ${String(d.type)}`);
      const apiKey = new Message().string(1, d.type).string(2, d.name).string(3, d.in).string(4, d.description).messages(5, vendorExtensions(d));
      return new Message().string(1, n).message(2, new Message().message(2, apiKey));
    });
    m.message(13, new Message().messages(1, items));
  }
  return m.messages(16, vendorExtensions(doc as unknown as Obj)).finish();
}
