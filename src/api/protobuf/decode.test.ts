/**
 * decodeProtobufObject against bodies captured from real kubectl: every testdata/<name>.pb (sent by
 * kubectl 1.32.5) must decode to exactly testdata/<name>.json (the JSON body kubectl 1.31.9 sent for
 * the same command), key order included. Plus malformed input and a fuzz run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeProtobufObject, ProtobufDecodeError } from './decode.js';
import { encodeProtobufObject } from './encode.js';
import { schemaLoaded } from './schema.js';

/** Compiled tests run from dist/src/…; the captures stay in the source tree. */
function testdata(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const src = here.replace(/[/\\]dist[/\\]src[/\\]/, '/src/');
  return join(src, 'testdata');
}

const dir = testdata();
const captures = readdirSync(dir).filter((f) => f.endsWith('.pb')).map((f) => f.slice(0, -3)).sort();
const read = (name: string): Buffer => readFileSync(join(dir, name));
const want = (name: string): Record<string, unknown> => JSON.parse(read(`${name}.json`).toString('utf8')) as Record<string, unknown>;

test('the descriptor is loaded lazily, on the first decode', () => {
  assert.equal(schemaLoaded(), false);
  decodeProtobufObject(read('namespace.pb'));
  assert.equal(schemaLoaded(), true);
});

test('captures cover the kubectl 1.32 protobuf writers', () => {
  for (const name of ['namespace', 'configmap', 'secret-generic', 'secret-tls', 'secret-docker', 'deployment', 'job', 'cronjob',
    'serviceaccount', 'service-clusterip', 'service-nodeport', 'service-loadbalancer', 'service-externalname', 'quota', 'role',
    'rolebinding', 'clusterrole', 'clusterrolebinding', 'priorityclass', 'pdb', 'ingress', 'autoscale', 'can-i', 'can-i-list',
    'whoami', 'token', 'drain-delete']) {
    assert.ok(captures.includes(name), `missing capture ${name}`);
  }
});

for (const name of captures) {
  test(`kubectl 1.32 ${name}: protobuf body decodes to the JSON kubectl 1.31 sent`, () => {
    const expected = want(name);
    const got = decodeProtobufObject(read(`${name}.pb`));
    assert.equal(got.apiVersion, expected.apiVersion);
    assert.equal(got.kind, expected.kind);
    assert.deepStrictEqual(got.object, expected);
    // Same key order as Go's encoding/json (TypeMeta first, struct declaration order).
    assert.equal(JSON.stringify(got.object), JSON.stringify(expected));
  });
}

test('Go pointer fields keep explicit zero values; non-omitempty nil fields print null', () => {
  const dep = decodeProtobufObject(read('deployment-zero.pb')).object as { spec: Record<string, unknown> };
  assert.equal(dep.spec.replicas, 0);
  const token = decodeProtobufObject(read('token-plain.pb')).object as { spec: Record<string, unknown>; status: Record<string, unknown> };
  assert.deepEqual(token.spec, { audiences: null, expirationSeconds: null, boundObjectRef: null });
  assert.deepEqual(token.status, { token: '', expirationTimestamp: null });
  const pc = decodeProtobufObject(read('priorityclass-default.pb')).object;
  assert.equal(pc.value, 0);
  assert.equal(pc.globalDefault, true);
});

test('Secret data stays base64; IntOrString becomes a number or a string', () => {
  const secret = decodeProtobufObject(read('secret-generic.pb')).object as { data: Record<string, string> };
  assert.deepEqual(secret.data, { k: Buffer.from('v').toString('base64') });
  const pdb = decodeProtobufObject(read('pdb-percent.pb')).object as { spec: { maxUnavailable: unknown } };
  assert.equal(pdb.spec.maxUnavailable, '50%');
  const svc = decodeProtobufObject(read('service-clusterip.pb')).object as { spec: { ports: Array<{ targetPort: unknown }> } };
  assert.equal(svc.spec.ports[0]?.targetPort, 8080);
});

function expectDecodeError(body: Uint8Array, pattern: RegExp): void {
  assert.throws(() => decodeProtobufObject(body), (e: unknown) => e instanceof ProtobufDecodeError && e.code === 400 && pattern.test(e.message));
}

test('malformed bodies are 400 ProtobufDecodeErrors with a clear message', () => {
  expectDecodeError(Buffer.from('{"kind":"Namespace"}'), /does not appear to be a protobuf message/);
  expectDecodeError(new Uint8Array(0), /does not appear to be a protobuf message/);
  const ns = read('namespace.pb');
  expectDecodeError(ns.subarray(0, ns.length - 5), /unable to decode|index out of range/);
  // Envelope with a kind nobody serves.
  const widget = Buffer.from(encodeProtobufObject('v1', 'Namespace', { metadata: { name: 'x' } }));
  const patched = Buffer.from(widget.toString('latin1').replace('Namespace', 'Widgetses'), 'latin1');
  expectDecodeError(patched, /no kind "Widgetses" is registered for version "v1"/);
  // Envelope without typeMeta.
  expectDecodeError(Buffer.from([0x6b, 0x38, 0x73, 0x00, 0x12, 0x00]), /Kind' is missing/);
});

test('a non-empty contentEncoding (gzip) is refused', () => {
  const ns = read('namespace.pb');
  // The capture ends with `1a 00 22 00` (contentEncoding "", contentType ""); swap in "gzip".
  const body = Buffer.concat([ns.subarray(0, ns.length - 4), Buffer.from([0x1a, 0x04]), Buffer.from('gzip'), Buffer.from([0x22, 0x00])]);
  expectDecodeError(body, /content encoding "gzip"/);
});

/** Small deterministic PRNG (mulberry32) so a failing fuzz case can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('fuzz: random and mutated bodies either decode or throw ProtobufDecodeError, never anything else', () => {
  const rand = rng(1234);
  const seeds = captures.map((n) => read(`${n}.pb`));
  let decoded = 0;
  for (let i = 0; i < 4000; i++) {
    let body: Uint8Array;
    if (i % 4 === 0) {
      body = Buffer.concat([Buffer.from([0x6b, 0x38, 0x73, 0x00]), Buffer.from(Array.from({ length: Math.floor(rand() * 64) }, () => Math.floor(rand() * 256)))]);
    } else {
      const seed = Buffer.from(seeds[Math.floor(rand() * seeds.length)] as Buffer);
      const flips = 1 + Math.floor(rand() * 4);
      for (let f = 0; f < flips; f++) seed[4 + Math.floor(rand() * (seed.length - 4))] = Math.floor(rand() * 256);
      body = rand() < 0.2 ? seed.subarray(0, 4 + Math.floor(rand() * (seed.length - 4))) : seed;
    }
    try {
      const r = decodeProtobufObject(body);
      assert.equal(typeof r.object, 'object');
      JSON.stringify(r.object);
      decoded++;
    } catch (e) {
      assert.ok(e instanceof ProtobufDecodeError, `case ${i}: ${String(e)}`);
    }
  }
  assert.ok(decoded > 0, 'some mutations should still decode');
});

test('hostile nesting (deep groups) is refused, not a crash', () => {
  const deep = Buffer.concat([Buffer.from([0x6b, 0x38, 0x73, 0x00]), Buffer.alloc(200_000, 0x0b)]);
  expectDecodeError(deep, /./);
});

test('decoding is fast: ≥ 2000 Namespace decodes in under a second (measured ~100k/s)', () => {
  const body = read('namespace.pb');
  const start = performance.now();
  for (let i = 0; i < 2000; i++) decodeProtobufObject(body);
  assert.ok(performance.now() - start < 1000);
});

test('a plain Uint8Array body (not a Buffer) decodes the same, bytes included', () => {
  const buf = read('secret-tls.pb');
  const plain = new Uint8Array(buf.length + 8).subarray(8);
  plain.set(buf);
  assert.deepStrictEqual(decodeProtobufObject(plain).object, want('secret-tls'));
});
