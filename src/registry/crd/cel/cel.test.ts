import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { checkFields, compileRule, type FieldSchema } from './compile.js';
import { evaluate, fromJson, unescapeProperty } from './eval.js';
import { CelCompileError, CelEvalError, type CelValue } from './ast.js';

function run(rule: string, self: unknown, oldSelf?: unknown): CelValue {
  const vars: Record<string, CelValue> = { self: fromJson(self) };
  if (oldSelf !== undefined) vars.oldSelf = fromJson(oldSelf);
  return evaluate(compileRule(rule).ast, vars);
}

test('CEL: comparisons, logic, ternary and arithmetic', () => {
  assert.equal(run('self.minReplicas <= self.replicas', { minReplicas: 1, replicas: 3 }), true);
  assert.equal(run('self.minReplicas <= self.replicas', { minReplicas: 4, replicas: 3 }), false);
  assert.equal(run('self.a + 2 * 3 == 7 && !(self.b > 1.5)', { a: 1, b: 1.5 }), true);
  assert.equal(run("self.type == 'A' ? self.x > 0 : true", { type: 'B', x: -1 }), true);
  assert.equal(run('self.x % 3 == 1 && self.x / 2 == 2', { x: 4 }), true);
  assert.equal(run('-self.x < 0', { x: 4 }), true);
});

test('CEL: has(), presence and missing keys', () => {
  assert.equal(run('!has(self.externalId) || has(self.roleArn)', { externalId: 'x' }), false);
  assert.equal(run('!has(self.externalId) || has(self.roleArn)', {}), true);
  // an error on one side of || is absorbed when the other side is true (commutative logic)
  assert.equal(run('self.missing == 1 || true', {}), true);
  assert.throws(() => run('self.missing == 1', {}), CelEvalError);
});

test('CEL: strings, regexes and conversions', () => {
  assert.equal(run("self.startsWith('ab') && self.endsWith('yz') && self.contains('mm')", 'abmmyz'), true);
  assert.equal(run("self.matches('^[a-zA-Z0-9]+@.+$')", 'al2023@latest'), true);
  assert.equal(run("self.split('@')[0] in ['al2','al2023']", 'al2023@latest'), true);
  assert.equal(run('self.find("^([^/]+)").endsWith("karpenter.sh")', 'karpenter.sh/nodepool'), true);
  assert.equal(run('int(self.values[0]) >= 0', { values: ['2'] }), true);
  assert.equal(run("string(self) + 'x' == '5x' && double(self) == 5.0", 5), true);
  assert.equal(run('size(self) == 3 && self.size() == 3', 'abc'), true);
  assert.equal(run("self.lowerAscii() == 'ab' && self.upperAscii() == 'AB'", 'aB'), true);
  assert.equal(run("duration(self) > duration('1m')", '90s'), true);
  assert.equal(run("timestamp(self) < timestamp('2030-01-01T00:00:00Z')", '2024-05-01T10:00:00Z'), true);
});

test('CEL: list and map macros', () => {
  assert.equal(run("self.all(x, x.operator == 'In' ? x.values.size() != 0 : true)", [{ operator: 'In', values: [] }]), false);
  assert.equal(run('self.exists(x, x > 2)', [1, 2, 3]), true);
  assert.equal(run('self.exists_one(x, x > 1)', [1, 2, 3]), false);
  assert.equal(run('self.filter(x, x > 1).size() == 2', [1, 2, 3]), true);
  assert.deepEqual(run('self.map(x, x * 2)', [1, 2]), [2n, 4n]);
  assert.equal(run("self.all(k, k != '' && self[k] != '')", { a: 'b' }), true);
  assert.equal(run("self.all(k, !k.startsWith('kubernetes.io/cluster'))", { 'kubernetes.io/cluster/x': 'y' }), false);
  assert.equal(run("'nodes' in self.limits", { limits: { nodes: 1 } }), true);
});

test('CEL: transition rules see oldSelf', () => {
  assert.equal(compileRule('self == oldSelf').usesOldSelf, true);
  assert.equal(compileRule('self > 0').usesOldSelf, false);
  assert.equal(run('self == oldSelf', 'a', 'a'), true);
  assert.equal(run('self == oldSelf', 'a', 'b'), false);
  assert.equal(run('has(self.replicas) == has(oldSelf.replicas)', { replicas: 1 }, {}), false);
});

test('CEL: escaped property names', () => {
  assert.equal(unescapeProperty('__namespace__'), 'namespace');
  assert.equal(unescapeProperty('a__dash__b__dot__c'), 'a-b.c');
  assert.equal(run('has(self.name) && has(self.__namespace__)', { name: 'a', namespace: 'b' }), true);
});

test('CEL: rules outside the subset are rejected at compile time, naming the problem', () => {
  assert.throws(() => compileRule('self.quantity().isGreaterThan(1)'), (e: unknown) => e instanceof CelCompileError && /quantity/.test(e.message));
  assert.throws(() => compileRule('foo == 1'), (e: unknown) => e instanceof CelCompileError && /undeclared reference to 'foo'/.test(e.message));
  assert.throws(() => compileRule('self.a ==='), CelCompileError);
  assert.throws(() => compileRule('type(self) == string'), CelCompileError);
});

test('CEL: field names are checked against the schema (undefined field), maps and unknown-preserving objects stay dynamic', () => {
  const schema: FieldSchema = {
    type: 'object',
    properties: {
      replicas: { type: 'integer' },
      items: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } } } },
      labels: { type: 'object', additionalProperties: { type: 'string' } },
      raw: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    },
  };
  checkFields('self.replicas > 0 && self.items.all(x, x.name != "") && self.labels.foo == "a" && self.raw.anything == 1 && self.metadata.name != ""', schema);
  assert.throws(() => checkFields('self.replica > 0', schema), (e: unknown) => e instanceof CelCompileError && e.message === "undefined field 'replica'");
  assert.throws(() => checkFields('self.items.all(x, has(x.nme))', schema), (e: unknown) => e instanceof CelCompileError && e.message === "undefined field 'nme'");
});

/** Every rule of every fixture CRD compiles (so real CRDs are accepted, not skipped). */
test('CEL: every x-kubernetes-validations rule in the fixture CRDs compiles', () => {
  const root = join(process.cwd(), 'test/fixtures/crd');
  const files: string[] = [];
  const walk = (d: string) => { for (const f of readdirSync(d)) { const p = join(d, f); if (statSync(p).isDirectory()) walk(p); else if (p.endsWith('.yaml')) files.push(p); } };
  walk(root);
  let n = 0;
  const visit = (s: unknown): void => {
    if (!s || typeof s !== 'object') return;
    if (Array.isArray(s)) { s.forEach(visit); return; }
    const o = s as Record<string, unknown>;
    for (const r of (o['x-kubernetes-validations'] as Array<{ rule: string }> | undefined) ?? []) { n++; compileRule(r.rule); checkFields(r.rule, o as FieldSchema); }
    for (const v of Object.values(o)) visit(v);
  };
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    if (!text.includes('CustomResourceDefinition')) continue;
    for (const d of parseAllDocuments(text)) visit(d.toJS());
  }
  assert.ok(n >= 100, `expected the fixtures' 100+ rules, saw ${n}`);
});
