import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeFieldValue, fieldSelectorFromSet, parseFieldSelector, unescapeFieldValue } from './fields.js';

test('TestSelectorParse (upstream): good strings restring unchanged; bad strings fail', () => {
  for (const s of ['x=a,y=b,z=c', '', 'x!=a,y=b', 'x=a||y\\=b', 'x=a\\=\\=b']) assert.equal(parseFieldSelector(s).toString(), s);
  for (const s of ['x=a||y=b', 'x==a==b', 'x=a,b', 'x in (a)', 'x in (a,b,c)', 'x']) assert.throws(() => parseFieldSelector(s), s);
});

test('terms are sorted and == is rendered as =', () => {
  assert.equal(parseFieldSelector('z=1,a==2,m!=3').toString(), 'a=2,m!=3,z=1');
  assert.equal(parseFieldSelector(',a=a,').toString(), 'a=a');
});

test('TestSelectorMatches (upstream table), missing fields read as ""', () => {
  const yes: Array<[string, Record<string, string>]> = [
    ['', { x: 'y' }], ['x=y', { x: 'y' }], ['x=y,z=w', { x: 'y', z: 'w' }], ['x!=y,z!=w', { x: 'z', z: 'a' }], ['notin=in', { notin: 'in' }],
    ['spec.nodeName=', {}], ['spec.nodeName!=n1', {}],
  ];
  const no: Array<[string, Record<string, string>]> = [['x=y', { x: 'z' }], ['x=y,z=w', { x: 'w', z: 'w' }], ['x!=y,z!=w', { x: 'z', z: 'w' }], ['constructor=x', {}]];
  for (const [s, f] of yes) assert.equal(parseFieldSelector(s).matches(f), true, s);
  for (const [s, f] of no) assert.equal(parseFieldSelector(s).matches(f), false, s);
  const fieldset = { foo: 'bar', baz: 'blah', complex: '=value\\,\\' };
  assert.equal(parseFieldSelector('foo=bar,baz=blah,complex=\\=value\\\\\\,\\\\').matches(fieldset), true);
  assert.equal(parseFieldSelector('foo=bar,foobar=bar,baz=blah').matches(fieldset), false);
});

test('TestEscapeValue (upstream table) round trips', () => {
  const cases: Array<[string, string]> = [['', ''], ['a', 'a'], ['=', '\\='], [',', '\\,'], ['\\', '\\\\'], ['\\=\\,\\', '\\\\\\=\\\\\\,\\\\']];
  for (const [raw, esc] of cases) {
    assert.equal(escapeFieldValue(raw), esc);
    assert.equal(unescapeFieldValue(esc), raw);
  }
  for (const bad of ['\\', '\\\\\\', '\\a']) assert.throws(() => unescapeFieldValue(bad), { message: /^invalid field selector: invalid escape sequence: / });
});

test('error messages are upstream wording', () => {
  assert.throws(() => parseFieldSelector('x'), { code: 400, message: "invalid selector: 'x'; can't understand 'x'" });
  assert.throws(() => parseFieldSelector('a=b,c'), { message: "invalid selector: 'a=b,c'; can't understand 'c'" });
  assert.throws(() => parseFieldSelector('a=b=c'), { message: 'invalid field selector: unescaped character in value: 61' });
  assert.throws(() => parseFieldSelector('a=b\\x'), { message: 'invalid field selector: invalid escape sequence: \\x' });
  assert.throws(() => parseFieldSelector('a=b\\'), { message: 'invalid field selector: invalid escape sequence: \\' });
});

test('multi-byte fields and escaped commas split correctly', () => {
  const s = parseFieldSelector('함=수,목=록');
  assert.deepEqual(s.requirements().map((r) => r.field), ['목', '함']);
  const e = parseFieldSelector('k=\\,,k2=v2');
  assert.deepEqual(e.requirements(), [{ field: 'k2', operator: '=', value: 'v2' }, { field: 'k', operator: '=', value: ',' }]);
});

test('requirements, requiresExactMatch and transform', () => {
  const s = parseFieldSelector('metadata.name=a,spec.host!=n');
  assert.deepEqual(s.requirements(), [
    { field: 'metadata.name', operator: '=', value: 'a' },
    { field: 'spec.host', operator: '!=', value: 'n' },
  ]);
  assert.equal(s.requiresExactMatch('metadata.name'), 'a');
  assert.equal(s.requiresExactMatch('spec.host'), undefined);
  const t = s.transform((f, v) => (f === 'spec.host' ? { field: 'spec.nodeName', value: v } : f === 'metadata.name' ? { field: '', value: '' } : { field: f, value: v }));
  assert.equal(t.toString(), 'spec.nodeName!=n');
  assert.throws(() => s.transform(() => { throw new Error('nope'); }), /nope/);
  assert.equal(fieldSelectorFromSet({ b: '1', a: 'x,y' }).toString(), 'a=x\\,y,b=1');
  assert.equal(parseFieldSelector('').empty, true);
});
