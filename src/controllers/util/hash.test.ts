import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalJson, computeTemplateHash, safeEncode, SAFE_ALPHABET } from './hash.js';

describe('pod-template-hash', () => {
  const tpl = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };

  it('SafeEncodeString maps each character through the 27-letter alphabet', () => {
    // '0' is 48 → 48 % 27 = 21 → '4'; '9' is 57 → 3 → 'f'.
    assert.equal(safeEncode('09'), '4f');
    assert.equal(SAFE_ALPHABET.length, 27);
  });

  it('is stable under key order, changes with the template and with collisionCount', () => {
    const h = computeTemplateHash(tpl);
    assert.match(h, /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    assert.equal(computeTemplateHash({ spec: tpl.spec, metadata: tpl.metadata }), h);
    assert.notEqual(computeTemplateHash({ ...tpl, spec: { containers: [{ name: 'c', image: 'nginx:2' }] } }), h);
    const c0 = computeTemplateHash(tpl, 0);
    assert.notEqual(c0, h, 'a set collisionCount (even 0) is mixed in');
    assert.notEqual(computeTemplateHash(tpl, 1), c0);
  });

  it('canonicalJson sorts keys at every level and drops undefined', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } }), '{"a":{"d":[1,{"y":2,"z":1}]},"b":1}');
  });
});
