#!/usr/bin/env node
// Generator: Kubernetes 1.32 OpenAPI spec → built-in resource catalog + served OpenAPI documents.
//   input:  ../shared/reference/kubernetes-openapi/swagger-v1.32.json (v2, with x-kubernetes-*)
//   output: src/api/generated/builtin-resources.ts   BUILTIN_RESOURCES, BUILTIN_GROUPS
//           src/api/generated/openapi-index.ts       document keys, files, hashes, sizes
//           generated/openapi/v2.json.gz             /openapi/v2 as a default 1.32 server serves it
//           generated/openapi/v2.pb.gz               the same, gnostic protobuf (openapi.v2.Document)
//           generated/openapi/v3/<key>.json.gz       /openapi/v3/<key> (api/v1, apis/apps/v1, …)
// Documents are minified JSON with sorted keys, gzipped; the hash is over the uncompressed bytes.
// Run through `npm run gen` (tools/gen/run.mjs). Deterministic: a second run changes nothing.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCatalog, isPathServedByDefault } from './openapi/catalog.mjs';
import { buildV3Document, docKeyOfPath, reachableDefinitions } from './openapi/v3.mjs';
import { etagOf, gzip, pruneDir, stableJsonBytes, writeIfChanged } from './openapi/emit.mjs';
import { KUBE_VERSION } from './openapi/tables.mjs';
import { encodeSwaggerProtobuf } from './openapi/v2-protobuf.mjs';
import { renderCatalogModule, renderIndexModule } from './openapi/render.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SPEC = resolve(ROOT, '../shared/reference/kubernetes-openapi/swagger-v1.32.json');
const OUT_DATA = join(ROOT, 'generated/openapi');
const OUT_SRC = join(ROOT, 'src/api/generated');

/** Document keys that are not group-versions but that kube-apiserver also lists in /openapi/v3. */
const NON_GV_DOCS = ['api', 'apis', 'version', 'logs', '.well-known/openid-configuration', 'openid/v1/jwks'];

function main() {
  const started = Date.now();
  const v2 = JSON.parse(readFileSync(SPEC, 'utf8'));
  const catalog = buildCatalog(v2);

  // Which document keys exist: served group-versions, their groups, and the non-GV documents.
  const gvKeys = catalog.servedGroupVersions.map((gv) => (gv.includes('/') ? `apis/${gv}` : `api/${gv}`));
  const groupKeys = catalog.groups.filter((g) => g.name !== '').map((g) => `apis/${g.name}`);
  const docKeys = [...NON_GV_DOCS, ...gvKeys, ...groupKeys].sort();
  const keySet = new Set(docKeys);
  const served = (p) => keySet.has(docKeyOfPath(p)) && isPathServedByDefault(p);

  const written = [];
  const keep = new Set();
  const docs = [];
  for (const key of docKeys) {
    const doc = buildV3Document(v2, key, { includePath: served, infoVersion: KUBE_VERSION });
    if (Object.keys(doc.paths).length === 0) throw new Error(`no paths for ${key}`);
    const bytes = stableJsonBytes(doc);
    const gz = gzip(bytes);
    const rel = `v3/${key}.json.gz`;
    const file = join(OUT_DATA, rel);
    keep.add(file);
    if (writeIfChanged(file, gz)) written.push(rel);
    const gvMatch = /^apis?\/(.+)$/.exec(key);
    const groupVersion = gvKeys.includes(key) ? gvMatch[1] : undefined;
    docs.push({ key, file: rel, hash: etagOf(bytes), bytes: bytes.length, gzipBytes: gz.length, ...(groupVersion ? { groupVersion } : {}) });
  }

  // /openapi/v2: the swagger restricted to what a default server registers.
  const v2Served = servedSwagger(v2, served);
  const v2Bytes = stableJsonBytes(v2Served);
  const v2Gz = gzip(v2Bytes);
  keep.add(join(OUT_DATA, 'v2.json.gz'));
  if (writeIfChanged(join(OUT_DATA, 'v2.json.gz'), v2Gz)) written.push('v2.json.gz');
  // The same document in gnostic protobuf (kubectl's v2 Accept); it shares the JSON's hash/ETag.
  const v2Pb = encodeSwaggerProtobuf(JSON.parse(v2Bytes.toString('utf8')));
  const v2PbGz = gzip(v2Pb);
  keep.add(join(OUT_DATA, 'v2.pb.gz'));
  if (writeIfChanged(join(OUT_DATA, 'v2.pb.gz'), v2PbGz)) written.push('v2.pb.gz');
  pruneDir(OUT_DATA, keep);

  const v2Entry = {
    key: 'v2', file: 'v2.json.gz', hash: etagOf(v2Bytes), bytes: v2Bytes.length, gzipBytes: v2Gz.length,
    protobufFile: 'v2.pb.gz', protobufBytes: v2Pb.length, protobufGzipBytes: v2PbGz.length,
  };
  if (writeIfChanged(join(OUT_SRC, 'openapi-index.ts'), renderIndexModule(docs, v2Entry))) written.push('src/api/generated/openapi-index.ts');
  if (writeIfChanged(join(OUT_SRC, 'builtin-resources.ts'), renderCatalogModule(catalog))) written.push('src/api/generated/builtin-resources.ts');

  const total = docs.reduce((n, d) => n + d.gzipBytes, 0) + v2Gz.length + v2PbGz.length;
  console.log(`openapi: ${catalog.resources.length} resources in ${catalog.groups.length} groups; ${docs.length} v3 documents + v2; ` +
    `${(total / 1024).toFixed(0)} KiB gzipped; ${written.length} file(s) changed; ${Date.now() - started} ms`);
  for (const w of written) console.log(`  wrote ${w}`);
}

/** The v2 document as served: only served paths, and the definitions/parameters they reach. */
function servedSwagger(v2, served) {
  const paths = {};
  for (const p of Object.keys(v2.paths)) if (served(p)) paths[p] = v2.paths[p];
  const usedParams = new Set();
  JSON.stringify(paths, (k, v) => {
    if (k === '$ref' && typeof v === 'string' && v.startsWith('#/parameters/')) usedParams.add(v.slice('#/parameters/'.length));
    return v;
  });
  const parameters = {};
  for (const name of [...usedParams].sort()) parameters[name] = v2.parameters[name];
  const definitions = {};
  for (const name of reachableDefinitions(v2, { paths, parameters })) definitions[name] = v2.definitions[name];
  return { ...v2, info: { ...v2.info, version: KUBE_VERSION }, paths, parameters, definitions };
}

main();
