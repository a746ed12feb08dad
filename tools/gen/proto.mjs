#!/usr/bin/env node
// Generator: Kubernetes protobuf schema for the request-body codec (src/api/protobuf).
//
// Inputs (generation time only; the product never reads them):
//   ../shared/reference/kubernetes-proto/k8s.io/**/generated.proto   k8s.io/api + apimachinery 1.32 IDL
//   ../shared/reference/kubernetes-openapi/swagger-v1.32.json        GVKs, JSON property names (fallback + cross-check)
//   generated/proto/go-fields.json                                     Go struct facts (see below)
// Outputs (committed, deterministic):
//   generated/proto/descriptor.json  protobufjs JSON descriptor, minified, no comments, with k8s JSON hints
//                                    attached as options (field `go`/`json`, message `k8s`)
//   generated/proto/index.json       "apiVersion Kind" → fully qualified message name
//
// Why Go facts: go-to-protobuf writes every field as proto2 `optional`, and gogo's marshaller always
// writes non-pointer scalars (empty strings, zero ints). To print the JSON Go would print for the
// decoded object we must know, per field, whether the Go field is a pointer, whether its json tag has
// `omitempty`, its JSON name and whether it is `,inline` — facts that live only in the Go struct tags
// (types.go of k8s.io/api and k8s.io/apimachinery). They are extracted once into
// generated/proto/go-fields.json by
//   node tools/gen/proto.mjs --go-api=<k8s.io/api checkout @v0.32.13> --go-apimachinery=<k8s.io/apimachinery checkout @v0.32.13>
// (the checkouts may be bare git dirs: the files are read with `git show <tag>:<path>`).
import { readFileSync, writeFileSync, mkdirSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, dirname, relative, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import protobuf from 'protobufjs';

const REPO = resolve(dirname(new URL(import.meta.url).pathname), '../..');
const REF = process.env.KEKS_REFERENCE ?? resolve(REPO, '../shared/reference');
const PROTO_ROOT = join(REF, 'kubernetes-proto');
const SWAGGER = join(REF, 'kubernetes-openapi/swagger-v1.32.json');
const OUT_DIR = join(REPO, 'generated/proto');
const GO_FIELDS = join(OUT_DIR, 'go-fields.json');
const GO_TAG = 'v0.32.13';

/** Proto package directory under k8s.io/api → API group (the `+groupName=` of each doc.go). */
const GROUP_OF_DIR = {
  core: '', apps: 'apps', batch: 'batch', autoscaling: 'autoscaling', policy: 'policy', extensions: 'extensions',
  rbac: 'rbac.authorization.k8s.io', authorization: 'authorization.k8s.io', authentication: 'authentication.k8s.io',
  networking: 'networking.k8s.io', scheduling: 'scheduling.k8s.io', storage: 'storage.k8s.io',
  coordination: 'coordination.k8s.io', discovery: 'discovery.k8s.io', events: 'events.k8s.io',
  admissionregistration: 'admissionregistration.k8s.io', admission: 'admission.k8s.io',
  certificates: 'certificates.k8s.io', node: 'node.k8s.io', flowcontrol: 'flowcontrol.apiserver.k8s.io',
  resource: 'resource.k8s.io', apidiscovery: 'apidiscovery.k8s.io', apiserverinternal: 'internal.apiserver.k8s.io',
  imagepolicy: 'imagepolicy.k8s.io', storagemigration: 'storagemigration.k8s.io',
};

// ---------------------------------------------------------------------------------------------
// Go struct facts extraction (only with --go-api / --go-apimachinery)

function gitFiles(repo, prefix) {
  const out = execFileSync('git', ['--git-dir', repo, 'ls-tree', '-r', '--name-only', GO_TAG, ...(prefix ? [prefix] : [])], { encoding: 'utf8', maxBuffer: 1 << 26 });
  return out.split('\n').filter((p) => /\.go$/.test(p) && !/_test\.go$|generated\.pb\.go$|zz_generated|swagger_doc/.test(p));
}
function gitShow(repo, path) {
  return execFileSync('git', ['--git-dir', repo, 'show', `${GO_TAG}:${path}`], { encoding: 'utf8', maxBuffer: 1 << 26 });
}

/** Parses `type X struct { ... }` blocks; returns {struct: [[number, protoName, jsonName, flags], ...]} in Go order. */
function parseGoStructs(src) {
  const structs = {};
  const lines = src.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^type (\w+) struct \{\s*$/.exec(lines[i]);
    if (!m) continue;
    const fields = [];
    for (i++; i < lines.length && lines[i] !== '}'; i++) {
      const f = /^\t(?:(\w+)\s+)?(\S+)\s+`([^`]*)`/.exec(lines[i]);
      if (!f) continue;
      const [, goName, goType, tag] = f;
      const pb = /protobuf:"([^"]*)"/.exec(tag);
      if (!pb || pb[1] === '-') continue;
      const num = pb[1].split(',')[1];
      const protoName = /(?:^|,)name=([^,]+)/.exec(pb[1])?.[1] ?? '';
      const json = /json:"([^"]*)"/.exec(tag)?.[1] ?? '';
      const [tagName, ...opts] = json.split(',');
      // encoding/json: no tag name → the Go field name; an untagged embedded struct is inlined.
      const embedded = goName === undefined;
      const jsonName = tagName || (embedded ? '' : goName);
      let flags = '';
      if (goType.startsWith('*')) flags += 'p';
      if (opts.includes('omitempty')) flags += 'o';
      if (opts.includes('inline') || (embedded && !tagName)) flags += 'i';
      if (jsonName === '-') flags += 'x';
      fields.push([num, protoName, jsonName === '-' ? '' : jsonName, flags]);
    }
    if (fields.length) structs[m[1]] = fields;
  }
  return structs;
}

function extractGoFacts(apiRepo, machineryRepo) {
  const facts = {};
  const add = (repo, files, pkgOf) => {
    for (const file of files) {
      const pkg = pkgOf(file);
      for (const [name, fields] of Object.entries(parseGoStructs(gitShow(repo, file)))) facts[`${pkg}.${name}`] = fields;
    }
  };
  add(apiRepo, gitFiles(apiRepo, '').filter((f) => /^\w+\/v\w+\/[^/]+$/.test(f)), (f) => 'k8s.io.api.' + dirname(f).split('/').join('.'));
  for (const dir of ['pkg/apis/meta/v1', 'pkg/apis/meta/v1beta1', 'pkg/runtime', 'pkg/runtime/schema', 'pkg/api/resource', 'pkg/util/intstr']) {
    add(machineryRepo, gitFiles(machineryRepo, dir + '/').filter((f) => dirname(f) === dir), () => 'k8s.io.apimachinery.' + dir.split('/').join('.'));
  }
  const sorted = Object.fromEntries(Object.keys(facts).sort().map((k) => [k, facts[k].map((f) => f.join(':'))]));
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(GO_FIELDS, JSON.stringify({ source: `k8s.io/api and k8s.io/apimachinery ${GO_TAG} struct tags: fieldNumber:protoName:jsonName:flags (p=pointer o=omitempty i=inline x=json:"-")`, structs: sorted }, null, 0).replace(/\],"/g, '],\n"') + '\n');
  console.log(`proto: wrote ${relative(REPO, GO_FIELDS)} (${Object.keys(sorted).length} structs)`);
}

// ---------------------------------------------------------------------------------------------
// Descriptor generation

function listProtos(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listProtos(p));
    else if (name === 'generated.proto') out.push(p);
  }
  return out;
}

function loadRoot() {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => (target.startsWith('/') ? target : join(PROTO_ROOT, target));
  const files = listProtos(join(PROTO_ROOT, 'k8s.io')).map((f) => relative(PROTO_ROOT, f));
  root.loadSync(files, { keepCase: true, alternateCommentMode: true });
  root.resolveAll();
  return { root, files };
}

function allTypes(ns, out = []) {
  for (const nested of ns.nestedArray) {
    if (nested instanceof protobuf.Type) out.push(nested);
    if (nested.nestedArray) allTypes(nested, out);
  }
  return out;
}

const fqn = (t) => t.fullName.replace(/^\./, '');

/** Message-level markers: `k8s` option = wrapper | time | microtime | duration | quantity | intstr | raw | fields. */
const SPECIAL = {
  'k8s.io.apimachinery.pkg.apis.meta.v1.Time': 'time',
  'k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime': 'microtime',
  'k8s.io.apimachinery.pkg.apis.meta.v1.Duration': 'duration',
  'k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1': 'fields',
  'k8s.io.apimachinery.pkg.api.resource.Quantity': 'quantity',
  'k8s.io.apimachinery.pkg.api.resource.QuantityValue': 'quantity',
  'k8s.io.apimachinery.pkg.util.intstr.IntOrString': 'intstr',
  'k8s.io.apimachinery.pkg.runtime.RawExtension': 'raw',
};

function isWrapper(type) {
  // `// +protobuf.nullable=true` on a Go slice type (Verbs, ExtraValue): `message X { repeated T items = 1; }`.
  const fields = type.fieldsArray;
  return /\+protobuf\.nullable=true/.test(type.comment ?? '') && fields.length === 1 && fields[0].name === 'items' && fields[0].repeated;
}

function swaggerDefs() {
  const defs = JSON.parse(readFileSync(SWAGGER, 'utf8')).definitions;
  const byMessage = new Map();
  for (const [name, def] of Object.entries(defs)) byMessage.set(name.replace(/^io\.k8s\./, 'k8s.io.'), def);
  return byMessage;
}

function annotate(root, goFacts, swagger) {
  const warnings = [];
  let withFacts = 0;
  for (const type of allTypes(root)) {
    const name = fqn(type);
    if (SPECIAL[name]) type.setOption('k8s', SPECIAL[name]);
    else if (isWrapper(type)) type.setOption('k8s', 'wrapper');
    const facts = SPECIAL[name] ? undefined : goFacts[name];
    const def = SPECIAL[name] ? undefined : swagger.get(name);
    const props = def?.properties ?? {};
    if (facts) {
      withFacts++;
      type.setOption('go', 1);
      const byId = new Map(facts.map((f, i) => { const [n, , j, fl] = f.split(':'); return [Number(n), { json: j, flags: fl, order: i }]; }));
      for (const field of type.fieldsArray) {
        const fact = byId.get(field.id);
        if (!fact) { warnings.push(`${name}.${field.name}: no Go field`); continue; }
        if (fact.flags !== 'o') field.setOption('go', fact.flags || '-');
        if (!/[ix]/.test(fact.flags) && fact.json !== field.name) field.setOption('json', fact.json);
        if (def && !fact.flags.includes('i') && !fact.flags.includes('x') && !(fact.json in props)) warnings.push(`${name}.${field.name}: JSON name ${fact.json} not in swagger`);
      }
      // Go declaration order (the order Go's encoding/json prints), when it differs from proto order.
      const orderOf = (f) => byId.get(f.id)?.order ?? 1e9;
      const order = type.fieldsArray.map(orderOf);
      if (order.some((o, i) => i > 0 && o < order[i - 1])) {
        type.setOption('order', [...type.fieldsArray].sort((a, b) => orderOf(a) - orderOf(b)).map((f) => f.name).join(','));
      }
    } else if (def && !SPECIAL[name]) {
      // No Go facts: fall back to swagger names; a message field whose name is not a property but
      // whose own properties are is `,inline` (VolumeSource in Volume).
      for (const field of type.fieldsArray) {
        if (field.name in props) continue;
        const sub = field.resolvedType instanceof protobuf.Type ? swagger.get(fqn(field.resolvedType)) : undefined;
        if (sub && Object.keys(sub.properties ?? {}).every((p) => p in props)) field.setOption('go', 'i');
        else warnings.push(`${name}.${field.name}: not in swagger and no Go facts`);
      }
    }
  }
  return { warnings, withFacts };
}

function kindIndex(root, swagger) {
  const index = {};
  const messages = new Map(allTypes(root).map((t) => [fqn(t), t]));
  // 1. Every GVK the OpenAPI spec declares for a definition that is a proto message.
  for (const [name, def] of [...swagger.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!messages.has(name)) continue;
    for (const gvk of def['x-kubernetes-group-version-kind'] ?? []) {
      const key = `${gvk.group ? gvk.group + '/' : ''}${gvk.version} ${gvk.kind}`;
      index[key] ??= name;
    }
  }
  // 2. Top-level objects of k8s.io/api packages that the spec does not serve (alphas, reviews):
  //    a message with ObjectMeta/ListMeta `metadata`, grouped by the package directory.
  for (const [name, type] of messages) {
    const m = /^k8s\.io\.api\.(\w+)\.(\w+)\.(\w+)$/.exec(name);
    if (!m) continue;
    const group = GROUP_OF_DIR[m[1]];
    if (group === undefined) throw new Error(`proto: no API group for package dir ${m[1]}`);
    const meta = type.fields.metadata?.resolvedType;
    if (!meta || !/\.meta\.v1\.(ObjectMeta|ListMeta)$/.test(meta.fullName)) continue;
    index[`${group ? group + '/' : ''}${m[2]} ${m[3]}`] ??= name;
  }
  return Object.fromEntries(Object.keys(index).sort().map((k) => [k, index[k]]));
}

function generate() {
  if (!existsSync(GO_FIELDS)) throw new Error(`proto: ${GO_FIELDS} missing; run with --go-api=… --go-apimachinery=… first`);
  const goFacts = JSON.parse(readFileSync(GO_FIELDS, 'utf8')).structs;
  const { root, files } = loadRoot();
  const swagger = swaggerDefs();
  const { warnings, withFacts } = annotate(root, goFacts, swagger);
  const index = kindIndex(root, swagger);
  const descriptor = root.toJSON({ keepComments: false });
  mkdirSync(OUT_DIR, { recursive: true });
  const desc = JSON.stringify(descriptor);
  writeFileSync(join(OUT_DIR, 'descriptor.json'), desc + '\n');
  writeFileSync(join(OUT_DIR, 'index.json'), JSON.stringify({ source: 'k8s.io/api v0.32.13 generated.proto + swagger-v1.32.json (tools/gen/proto.mjs)', kinds: index }, null, 1) + '\n');
  console.log(`proto: ${files.length} proto files, ${allTypes(root).length} messages (${withFacts} with Go facts), ${Object.keys(index).length} kinds, descriptor ${desc.length} bytes`);
  for (const w of warnings.slice(0, 20)) console.log(`proto: warning: ${w}`);
  if (warnings.length > 20) console.log(`proto: … ${warnings.length - 20} more warnings`);
}

const argv = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
if (argv['go-api'] || argv['go-apimachinery']) extractGoFacts(argv['go-api'], argv['go-apimachinery']);
generate();
