import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue, isValidPathSegmentName,
  nameIsDNSLabel, nameIsDNSSubdomain, nameIsPathSegment,
} from './names.js';

const r = (c: string, n: number): string => c.repeat(n);

test('TestIsDNS1123Label (upstream table)', () => {
  for (const v of ['a', 'ab', 'abc', 'a1', 'a-1', 'a--1--2--b', '0', '01', '012', '1a', '1-a', '1--a--b--2', r('a', 63)]) {
    assert.deepEqual(isDNS1123Label(v), [], v);
  }
  for (const v of ['', 'A', 'ABC', 'aBc', 'A1', 'A-1', '1-A', '-', 'a-', '-a', '1-', '-1', '_', 'a_', '_a', 'a_b', '1_', '_1', '1_2',
    '.', 'a.', '.a', 'a.b', '1.', '.1', '1.2', ' ', 'a ', ' a', 'a b', '1 ', ' 1', '1 2', r('a', 64)]) {
    assert.notDeepEqual(isDNS1123Label(v), [], v);
  }
});

test('TestIsDNS1123Subdomain (upstream table)', () => {
  for (const v of ['a', 'a--1--2--b', 'a.a', 'a-1.a', 'a.1', '0.a', '1-a.a', '0.1', '1--a--b--2.1', 'a.b.c.d.e', '1.2.3.4.5', r('a', 253)]) {
    assert.deepEqual(isDNS1123Subdomain(v), [], v);
  }
  for (const v of ['', 'A', 'aBc', '-', 'a-', '-a', '_', 'a_b', '.', 'a.', '.a', 'a..b', '1..2', ' ', 'a b', 'A.a', 'ab.A', 'a.B.c.d.e',
    'a@b', 'a,b', 'a;b', 'a:b', 'a%b', 'a?b', 'a$b', r('a', 254)]) {
    assert.notDeepEqual(isDNS1123Subdomain(v), [], v);
  }
});

test('TestIsQualifiedName (upstream table)', () => {
  for (const v of ['simple', 'now-with-dashes', '1-starts-with-num', '1234', 'simple/simple', 'now-with-dashes/simple', 'now.with.dots/simple',
    '1-num.2-num/3-num', '1234/5678', '1.2.3.4/5678', 'Uppercase_Is_OK_123', 'example.com/Uppercase_Is_OK_123', 'requests.storage-foo',
    r('a', 63), `${r('a', 253)}/${r('b', 63)}`]) {
    assert.deepEqual(isQualifiedName(v), [], v);
  }
  for (const v of ['nospecialchars%^=@', 'cantendwithadash-', '-cantstartwithadash-', 'only/one/slash', 'Example.com/abc', 'example_com/abc',
    'example.com/', '/simple', r('a', 64), `${r('a', 254)}/abc`]) {
    assert.notDeepEqual(isQualifiedName(v), [], v);
  }
});

test('TestIsValidLabelValue (upstream table)', () => {
  for (const v of ['simple', 'now-with-dashes', '1-starts-with-num', 'end-with-num-1', '1234', r('a', 63), '']) assert.deepEqual(isValidLabelValue(v), [], v);
  for (const v of ['nospecialchars%^=@', 'Tama-nui-te-rā.is.Māori.sun', '\\backslashes\\are\\bad', '-starts-with-dash', 'ends-with-dash-',
    '.starts.with.dot', 'ends.with.dot.', r('a', 64)]) {
    assert.notDeepEqual(isValidLabelValue(v), [], v);
  }
});

test('exact upstream messages', () => {
  assert.deepEqual(isDNS1123Subdomain('Foo'), [
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
  ]);
  assert.deepEqual(isDNS1123Label('a.b'), ['must not contain dots']);
  assert.deepEqual(isDNS1123Label('Ab'), [
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
  ]);
  assert.deepEqual(isDNS1123Label(r('a', 64)), ['must be no more than 63 characters']);
  assert.deepEqual(isDNS1035Label('1abc'), [
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
  ]);
  assert.deepEqual(isQualifiedName('a/b/c'), [
    "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
  ]);
  assert.deepEqual(isQualifiedName('/x'), ['prefix part must be non-empty']);
  assert.deepEqual(isQualifiedName('Ex.com/x')[0]?.startsWith('prefix part a lowercase RFC 1123 subdomain must consist'), true);
  assert.deepEqual(isQualifiedName('x/'), ['name part must be non-empty', "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"]);
});

test('path segment names', () => {
  assert.deepEqual(isValidPathSegmentName('.'), ["may not be '.'"]);
  assert.deepEqual(isValidPathSegmentName('..'), ["may not be '..'"]);
  assert.deepEqual(isValidPathSegmentName('a/b%c'), ["may not contain '/'", "may not contain '%'"]);
  assert.deepEqual(isValidPathSegmentName('system:controller:Foo'), []);
  assert.deepEqual(nameIsPathSegment('..', true), []);
});

test('generateName prefixes may end in a dash (maskTrailingDash)', () => {
  assert.deepEqual(nameIsDNSSubdomain('web-', true), []);
  assert.notDeepEqual(nameIsDNSSubdomain('web-', false), []);
  assert.deepEqual(nameIsDNSLabel('ns-', true), []);
  assert.notDeepEqual(nameIsDNSSubdomain('Web-', true), []);
  // Upstream drops two characters before appending 'a': "a.-" masks to "aa", which is valid.
  assert.deepEqual(nameIsDNSSubdomain('a.-', true), []);
});
