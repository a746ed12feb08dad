import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ContinueExpiredError, decodeContinue, encodeContinue, encodeContinueFrom, INCONSISTENT_CONTINUE_MESSAGE } from './continue.js';

const b64 = (s: string): string => Buffer.from(s).toString('base64url');

test('encodeContinue produces the etcd3 token format', () => {
  const t = encodeContinue('/registry/pods/default/web-1', '/registry/pods/', 42);
  assert.equal(Buffer.from(t, 'base64url').toString(), '{"v":"meta.k8s.io/v1","rv":42,"start":"default/web-1\\u0000"}');
  assert.ok(!t.includes('=') && !t.includes('+') && !t.includes('/'), 'unpadded URL-safe base64');
  // Pinned so that an accidental change of field order or escaping shows up.
  assert.equal(t, 'eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6NDIsInN0YXJ0IjoiZGVmYXVsdC93ZWItMVx1MDAwMCJ9');
});

test('decodeContinue round trips and exposes inclusive and exclusive bounds', () => {
  const d = decodeContinue(encodeContinue('/registry/pods/default/web-1', '/registry/pods/', 42), '/registry/pods/');
  assert.deepEqual(d, { fromKey: '/registry/pods/default/web-1\0', startAfter: '/registry/pods/default/web-1', revision: 42, rawRV: 42 });
  const latest = decodeContinue(encodeContinueFrom('/r/a\0', '/r/', -1), '/r/');
  assert.equal(latest.revision, 0);
  assert.equal(latest.rawRV, -1);
});

test('encodeContinue rejects a key outside the prefix', () => {
  assert.throws(() => encodeContinue('/other/x', '/registry/pods/', 1), /the key and key prefix do not match/);
});

test('decodeContinue errors are upstream 400s', () => {
  const bad = (token: string, message: string): void => {
    assert.throws(() => decodeContinue(token, '/r/'), { code: 400, reason: 'BadRequest', message });
  };
  bad('!!!', 'invalid continue token: continue key is not valid: illegal base64 data at input byte 0');
  bad(b64('{"v":"meta.k8s.io/v1","rv":0,"start":"a"}'), 'invalid continue token: continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  bad(b64('{"v":"meta.k8s.io/v1","rv":3,"start":""}'), 'invalid continue token: continue key is not valid: encoded start key empty (version meta.k8s.io/v1)');
  bad(b64('{"v":"v2","rv":3,"start":"a"}'), 'invalid continue token: continue key is not valid: server does not recognize this encoded version v2');
  bad(b64('{"v":"meta.k8s.io/v1","rv":3,"start":"../../secrets/x"}'), 'invalid continue token: continue key is not valid: ../../secrets/x');
  bad(b64('{"v":"meta.k8s.io/v1","rv":"3","start":"a"}'), 'invalid continue token: continue key is not valid: json: cannot unmarshal string into Go struct field continueToken.rv of type int64');
  bad(b64('xyz'), "invalid continue token: continue key is not valid: invalid character 'x' looking for beginning of value");
});

test('ContinueExpiredError is a 410 carrying a latest-revision token', () => {
  const e = new ContinueExpiredError('/r/ns/a\0', '/r/');
  const s = e.toStatus();
  assert.equal(s.code, 410);
  assert.equal(s.reason, 'Expired');
  assert.equal(s.message, INCONSISTENT_CONTINUE_MESSAGE);
  const token = (s.metadata as unknown as { continue: string }).continue;
  assert.equal(decodeContinue(token, '/r/').rawRV, -1);
  assert.equal(decodeContinue(token, '/r/').fromKey, '/r/ns/a\0');
});
