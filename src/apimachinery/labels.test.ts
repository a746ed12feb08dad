import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isStatusError } from './errors.js';
import { labelSelectorFromMeta, labelSelectorFromSet, parseLabelSelector } from './labels.js';

function parseErr(s: string): string {
  try {
    parseLabelSelector(s);
  } catch (e) {
    assert.ok(isStatusError(e));
    assert.equal(e.code, 400);
    return e.message;
  }
  assert.fail(`expected ${JSON.stringify(s)} to fail`);
}

test('TestSelectorParse: good strings restring without spaces; bad strings fail', () => {
  for (const s of ['x=a,y=b,z=c', '', 'x!=a,y=b', 'x=', 'x= ', 'x=,z= ', 'x= ,z= ', '!x', 'x>1', 'x>1,z<5']) {
    assert.equal(parseLabelSelector(s).toString(), s.replace(/ /g, ''), s);
  }
  for (const s of ['x=a||y=b', 'x==a==b', '!x=a', 'x<a']) assert.throws(() => parseLabelSelector(s), s);
});

test('TestSelectorMatches (upstream table)', () => {
  const yes: Array<[string, Record<string, string>]> = [
    ['', { x: 'y' }], ['x=y', { x: 'y' }], ['x=y,z=w', { x: 'y', z: 'w' }], ['x!=y,z!=w', { x: 'z', z: 'a' }],
    ['notin=in', { notin: 'in' }], ['x', { x: 'z' }], ['!x', { y: 'z' }], ['x>1', { x: '2' }], ['x<1', { x: '0' }],
    ['foo=bar,baz=blah', { foo: 'bar', baz: 'blah' }], ['x in (a,b)', { x: 'b' }], ['x notin (a,b)', { y: 'a' }],
  ];
  const no: Array<[string, Record<string, string>]> = [
    ['x=z', {}], ['x=y', { x: 'z' }], ['x=y,z=w', { x: 'w', z: 'w' }], ['x!=y,z!=w', { x: 'z', z: 'w' }],
    ['x', { y: 'z' }], ['!x', { x: 'z' }], ['x>1', { x: '0' }], ['x<1', { x: '2' }], ['x>1', { x: 'v2' }],
    ['foo=bar,foobar=bar,baz=blah', { foo: 'bar', baz: 'blah' }], ['x notin (a,b)', { x: 'a' }],
  ];
  for (const [s, l] of yes) assert.equal(parseLabelSelector(s).matches(l), true, `${s} should match ${JSON.stringify(l)}`);
  for (const [s, l] of no) assert.equal(parseLabelSelector(s).matches(l), false, `${s} should not match ${JSON.stringify(l)}`);
});

test('matching treats undefined labels as empty and ignores inherited properties', () => {
  assert.equal(parseLabelSelector('constructor').matches({}), false);
  assert.equal(parseLabelSelector('!constructor').matches(undefined), true);
  assert.equal(parseLabelSelector('x notin (a)').matches(undefined), true);
  assert.equal(parseLabelSelector('x=a').matches(null), false);
  assert.equal(parseLabelSelector('').matches(undefined), true);
  assert.equal(parseLabelSelector('').empty, true);
  assert.equal(parseLabelSelector('x').empty, false);
});

test('TestSetSelectorParser (upstream table): canonical strings', () => {
  const good: Array<[string, string]> = [
    ['\rx', 'x'],
    ['this-is-a-dns.domain.com/key-with-dash', 'this-is-a-dns.domain.com/key-with-dash'],
    ['this-is-another-dns.domain.com/key-with-dash in (so,what)', 'this-is-another-dns.domain.com/key-with-dash in (so,what)'],
    ['0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)', '0.1.2.domain/99 notin (10.10.100.1,tick.tack.clock)'],
    ['foo  in\t (abc)', 'foo in (abc)'],
    ['x notin\n (abc)', 'x notin (abc)'],
    ['x  notin\t\t\t(abc,def)', 'x notin (abc,def)'],
    ['x in (abc,)', 'x in (,abc)'],
    ['x in ()', 'x in ()'],
    ['x notin (abc,,def),bar,z in (),w', 'bar,w,x notin (,abc,def),z in ()'],
    ['x,y in (a)', 'x,y in (a)'],
    ['x=a,y!=b,z in (h,i,j)', 'x=a,y!=b,z in (h,i,j)'],
    ['x notin ( )', 'x notin ()'],
    ['x notin (, a)', 'x notin (,a)'],
    ['a ', 'a'],
    ['a in (x,y,notin, z,in)', 'a in (in,notin,x,y,z)'],
    ['in in (in)', 'in in (in)'],
    ['x in (b,a,b)', 'x in (a,b)'],
  ];
  for (const [input, out] of good) assert.equal(parseLabelSelector(input).toString(), out, JSON.stringify(input));
  for (const bad of ['x=a||y=b', 'x,,y', ',x,y', 'x nott in (y)', 'a in (xyz),', 'a in (xyz)b notin ()', 'a in (xyz abc)', 'a notin(', 'a (', '(']) {
    assert.throws(() => parseLabelSelector(bad), JSON.stringify(bad));
  }
});

test('parse errors carry upstream wording', () => {
  assert.equal(parseErr('x y'), 'unable to parse requirement: found \'y\', expected: in, notin, =, ==, !=, gt, lt');
  assert.equal(parseErr('x=a b'), "found 'b', expected: ',' or 'end of string'");
  assert.equal(parseErr('x,'), "found '', expected: identifier after ','");
  assert.equal(parseErr(',x'), "found ',', expected: !, identifier, or 'end of string'");
  assert.equal(parseErr('x in a'), "unable to parse requirement: found 'a' expected: '('");
  assert.equal(parseErr('x in (a b)'), "unable to parse requirement: found 'b', expected: ',' or ')'");
  assert.equal(parseErr('x in (='), "unable to parse requirement: found '=', expected: ',', ')' or identifier");
  assert.equal(parseErr('x=(a'), "unable to parse requirement: found '(', expected: identifier");
  assert.equal(parseErr('!'), "unable to parse requirement: found '', expected: identifier");
  assert.equal(parseErr('x<a'), `unable to parse requirement: values[0]: Invalid value: "a": for 'Gt', 'Lt' operators, the value must be an integer`);
  assert.equal(
    parseErr('-x'),
    `unable to parse requirement: <nil>: Invalid value: "-x": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
  );
  assert.equal(
    parseErr('x=a/b'),
    `unable to parse requirement: values[0][x]: Invalid value: "a/b": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
  );
  assert.equal(parseErr(`x=${'a'.repeat(64)}`).startsWith(`unable to parse requirement: values[0][x]: Invalid value: "${'a'.repeat(64)}": must be no more than 63 characters`), true);
});

test('"x==" is an empty exact value (upstream parseExactValue) and parses', () => {
  assert.equal(parseLabelSelector('x==').toString(), 'x==');
  assert.equal(parseLabelSelector('x==').matches({ x: '' }), true);
});

test('requiresExactMatch', () => {
  assert.equal(parseLabelSelector('a=b,c in (d)').requiresExactMatch('a'), 'b');
  assert.equal(parseLabelSelector('a=b,c in (d)').requiresExactMatch('c'), 'd');
  assert.equal(parseLabelSelector('a in (b,c)').requiresExactMatch('a'), undefined);
  assert.equal(parseLabelSelector('a!=b').requiresExactMatch('a'), undefined);
});

test('labelSelectorFromSet matches exactly the set', () => {
  const s = labelSelectorFromSet({ b: '2', a: '1' });
  assert.equal(s.toString(), 'a=1,b=2');
  assert.equal(s.matches({ a: '1', b: '2', c: '3' }), true);
  assert.equal(s.matches({ a: '1' }), false);
  assert.equal(labelSelectorFromSet(undefined).empty, true);
});

test('labelSelectorFromMeta: nil → nothing, empty → everything, expressions', () => {
  assert.equal(labelSelectorFromMeta(null).matches({}), false);
  assert.equal(labelSelectorFromMeta({}).matches({ a: 'b' }), true);
  const s = labelSelectorFromMeta({
    matchLabels: { app: 'web' },
    matchExpressions: [
      { key: 'tier', operator: 'In', values: ['b', 'a'] },
      { key: 'env', operator: 'NotIn', values: ['prod'] },
      { key: 'x', operator: 'Exists' },
      { key: 'y', operator: 'DoesNotExist' },
    ],
  });
  assert.equal(s.toString(), 'app=web,env notin (prod),tier in (a,b),x,!y');
  assert.equal(s.matches({ app: 'web', tier: 'a', x: '' }), true);
  assert.equal(s.matches({ app: 'web', tier: 'a', x: '', y: '1' }), false);
  assert.equal(s.matches({ app: 'web', tier: 'c', x: '' }), false);
});

test('labelSelectorFromMeta errors', () => {
  assert.throws(() => labelSelectorFromMeta({ matchExpressions: [{ key: 'a', operator: 'Foo' }] }), { message: '"Foo" is not a valid label selector operator' });
  assert.throws(() => labelSelectorFromMeta({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }), {
    message: `values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty`,
  });
  assert.throws(() => labelSelectorFromMeta({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }), {
    message: `values: Invalid value: []string{"x"}: values set must be empty for exists and does not exist`,
  });
  assert.throws(() => labelSelectorFromMeta({ matchLabels: { 'a b': 'c' } }), { message: /^key: Invalid value: "a b": name part must consist of/ });
});

test('matching a precompiled selector is fast', () => {
  const s = parseLabelSelector('app=web,tier in (a,b,c),!legacy,env!=prod');
  const labels = { app: 'web', tier: 'b', env: 'dev', 'kubernetes.io/name': 'x' };
  const n = 1_000_000;
  const t0 = process.hrtime.bigint();
  let hits = 0;
  for (let i = 0; i < n; i++) if (s.matches(labels)) hits++;
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  assert.equal(hits, n);
  assert.ok(ms < 2000, `1M matches took ${ms} ms`);
});
