import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GENERATE_NAME_ALPHABET, generateName } from './names.js';

test('generateName appends 5 characters from the no-vowel alphabet', () => {
  for (let i = 0; i < 200; i++) {
    const n = generateName('web-');
    assert.match(n, /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  }
});

test('generateName is deterministic with an injected random source', () => {
  const seq = [0, 0.999999, 0.5, 0.1, 0.9];
  let i = 0;
  assert.equal(generateName('x-', () => seq[i++]!), `x-${GENERATE_NAME_ALPHABET[0]}${GENERATE_NAME_ALPHABET[26]}${GENERATE_NAME_ALPHABET[13]}${GENERATE_NAME_ALPHABET[2]}${GENERATE_NAME_ALPHABET[24]}`);
});

test('generateName truncates the base to 58 so the result is at most 63 characters', () => {
  const n = generateName('a'.repeat(100));
  assert.equal(n.length, 63);
  assert.ok(n.startsWith('a'.repeat(58)));
  assert.equal(generateName('a'.repeat(58)).length, 63);
  assert.equal(generateName('').length, 5);
});
