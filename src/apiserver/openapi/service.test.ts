/** OpenApiService.handle over a real HTTP server on 127.0.0.1 (headers, hashes, 304, 301, 406). */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { FakeClock } from '../../util/clock.js';
import { computeOpenApiHash } from './document-store.js';
import { OpenApiService } from './service.js';

const clock = new FakeClock(Date.UTC(2025, 5, 1, 12, 0, 0));
const service = new OpenApiService({ clock });
let server: Server;
let port = 0;

before(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    void service.handle(req, res, url.pathname, url.searchParams).then((handled) => {
      if (!handled) { res.statusCode = 418; res.end('not openapi'); }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

after(() => new Promise<void>((resolve) => server.close(() => resolve())));

interface Reply { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }

function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

async function index(): Promise<Record<string, { serverRelativeURL: string }>> {
  const r = await get('/openapi/v3', { accept: 'application/json, */*' });
  assert.equal(r.status, 200);
  return (JSON.parse(r.body.toString()) as { paths: Record<string, { serverRelativeURL: string }> }).paths;
}

test('GET /openapi/v3: index of served documents with hashed URLs and an ETag', async () => {
  const r = await get('/openapi/v3', { accept: 'application/json, */*' });
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-type'], 'application/json');
  assert.equal(r.headers.etag, `"${computeOpenApiHash(r.body)}"`);
  const paths = (JSON.parse(r.body.toString()) as { paths: Record<string, { serverRelativeURL: string }> }).paths;
  assert.match(paths['api/v1']!.serverRelativeURL, /^\/openapi\/v3\/api\/v1\?hash=[0-9A-F]{128}$/);
  assert.match(paths['apis/apps/v1']!.serverRelativeURL, /^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]{128}$/);
  assert.deepEqual(Object.keys(paths), Object.keys(paths).sort());
  const again = await get('/openapi/v3', { 'if-none-match': r.headers.etag as string });
  assert.equal(again.status, 304);
  assert.equal(again.body.length, 0);
});

test('GET the hashed URL: document with immutable caching headers; If-None-Match → 304', async () => {
  const url = (await index())['apis/apps/v1']!.serverRelativeURL;
  const hash = url.slice(url.indexOf('hash=') + 5);
  const r = await get(url, { accept: 'application/json' });
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-type'], 'application/json');
  assert.equal(r.headers['cache-control'], 'public, immutable');
  assert.equal(r.headers.expires, 'Mon, 01 Jun 2026 12:00:00 GMT');
  assert.equal(r.headers.etag, `"${hash}"`);
  assert.equal(computeOpenApiHash(r.body), hash);
  const doc = JSON.parse(r.body.toString()) as { openapi: string; paths: Record<string, Record<string, { parameters?: { name: string }[]; 'x-kubernetes-group-version-kind'?: unknown }>> };
  assert.equal(doc.openapi, '3.0.0');
  const patch = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}']!.patch!;
  assert.deepEqual(patch['x-kubernetes-group-version-kind'], { group: 'apps', kind: 'Deployment', version: 'v1' });
  assert.ok(patch.parameters!.some((p) => p.name === 'fieldValidation'));
  const cached = await get(url, { accept: 'application/json', 'if-none-match': `"${hash}"` });
  assert.equal(cached.status, 304);
  assert.equal(cached.headers['content-type'], undefined);
});

test('without ?hash there are no caching headers; a stale hash redirects (301) to the current one', async () => {
  const plain = await get('/openapi/v3/api/v1', { accept: 'application/json' });
  assert.equal(plain.status, 200);
  assert.equal(plain.headers['cache-control'], undefined);
  const stale = await get('/openapi/v3/api/v1?hash=0123', { accept: 'application/json' });
  assert.equal(stale.status, 301);
  assert.equal(stale.headers.location, (await index())['api/v1']!.serverRelativeURL);
});

test('gzip when accepted: the same bytes, compressed', async () => {
  const plain = await get('/openapi/v3/apis/batch/v1', { accept: 'application/json' });
  const gz = await get('/openapi/v3/apis/batch/v1', { accept: 'application/json', 'accept-encoding': 'gzip' });
  assert.equal(gz.status, 200);
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.ok(gz.body.length < plain.body.length / 4);
  assert.ok(gunzipSync(gz.body).equals(plain.body));
  assert.equal(plain.headers['content-encoding'], undefined);
});

test('/openapi/v2: JSON with ETag and 304', async () => {
  const r = await get('/openapi/v2', { accept: 'application/json' });
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-type'], 'application/json');
  const swagger = JSON.parse(r.body.toString()) as { swagger: string; paths: Record<string, unknown> };
  assert.equal(swagger.swagger, '2.0');
  assert.ok(swagger.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}']);
  assert.ok(!Object.keys(swagger.paths).some((p) => p.startsWith('/apis/resource.k8s.io/')), 'only what a default server serves');
  assert.equal(r.headers.etag, `"${computeOpenApiHash(r.body)}"`);
  assert.equal((await get('/openapi/v2', { 'if-none-match': r.headers.etag as string })).status, 304);
});

test('/openapi/v2 in protobuf for kubectl\'s Accept: gnostic Document, same ETag as the JSON', async () => {
  const json = await get('/openapi/v2', { accept: 'application/json' });
  const pb = await get('/openapi/v2', { accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf', 'accept-encoding': 'gzip' });
  assert.equal(pb.status, 200);
  assert.equal(pb.headers['content-type'], 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
  assert.equal(pb.headers.etag, json.headers.etag);
  const body = gunzipSync(pb.body);
  // field 1 (swagger, length-delimited) = "2.0", then field 2 (info)
  assert.deepEqual([...body.subarray(0, 5)], [0x0a, 0x03, 0x32, 0x2e, 0x30]);
  assert.equal(body[5], 0x12);
  assert.ok(body.includes(Buffer.from('x-kubernetes-group-version-kind')));
});

test('Accept naming only an encoding we do not produce → 406 Status', async () => {
  for (const [path, accept] of [['/openapi/v2', 'application/yaml'], ['/openapi/v3/api/v1', 'application/com.github.proto-openapi.spec.v3.v1.0+protobuf']] as const) {
    const r = await get(path, { accept });
    assert.equal(r.status, 406, path);
    const status = JSON.parse(r.body.toString()) as { kind: string; reason: string; code: number };
    assert.deepEqual([status.kind, status.reason, status.code], ['Status', 'NotAcceptable', 406]);
  }
});

test('unknown document → 404, other methods → 405, HEAD has no body, other paths are not handled', async () => {
  assert.equal((await get('/openapi/v3/apis/example.com/v1')).status, 404);
  assert.equal((await get('/openapi/v3', {}, 'POST')).status, 405);
  const head = await get('/openapi/v3/version', {}, 'HEAD');
  assert.equal(head.status, 200);
  assert.equal(head.body.length, 0);
  assert.ok(Number(head.headers['content-length']) > 0);
  assert.equal((await get('/openapi')).status, 418);
  assert.equal((await get('/api/v1')).status, 418);
});

test('setGroupVersion serves a CRD document at once and lists it; removeGroupVersion withdraws it', async () => {
  service.setGroupVersion('apis/example.com/v1', { openapi: '3.0.0', info: { title: 'Kubernetes CRD Swagger', version: 'v0.1.0' }, paths: {}, components: { schemas: {} } });
  const url = (await index())['apis/example.com/v1']?.serverRelativeURL;
  assert.ok(url);
  const r = await get(url, { accept: 'application/json' });
  assert.equal(r.status, 200);
  assert.equal((JSON.parse(r.body.toString()) as { info: { title: string } }).info.title, 'Kubernetes CRD Swagger');
  service.removeGroupVersion('apis/example.com/v1');
  assert.equal((await index())['apis/example.com/v1'], undefined);
  assert.equal((await get(url)).status, 404);
});
