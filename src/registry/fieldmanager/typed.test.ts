import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toFieldsV1, type Fields } from './fieldset.js';
import { builtinSchemas, DEDUCED, scalarNode, UNTYPED_ATOMIC, type ListNode } from './schema.js';
import { itemKey, merge, toFieldSet } from './typed.js';
import { typedApply } from './typed-apply.js';

const schema = builtinSchemas().lookup('apps/v1', 'Deployment');
assert.ok(schema);

function container(i: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: `c${i}`, image: `app:${i}`, args: ['--port', String(8000 + i)],
    env: [{ name: 'A', value: '1' }, { name: 'B', value: String(i) }],
    ports: [{ containerPort: 8000 + i, protocol: 'TCP' }], resources: { limits: { cpu: '100m' } }, ...extra,
  };
}

function deployment(containers: Array<Record<string, unknown>>, spec: Record<string, unknown> = {}, labels: Record<string, unknown> = { app: 'x' }): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x', namespace: 'default', labels },
    spec: { replicas: 2, selector: { matchLabels: { app: 'x' } }, template: { metadata: { labels: { app: 'x' } }, spec: { containers } }, ...spec },
  };
}

/** Configurations whose sets overlap in every way: same, extra/missing items, fields, nulls, empties. */
const configs: Array<Record<string, unknown>> = [
  deployment([container(0), container(1)]),
  deployment([container(0), container(1), container(2)]),
  deployment([container(1), container(0)]),
  deployment([container(0, { image: 'other' }), container(1)]),
  deployment([container(0, { env: [{ name: 'A', value: '1' }] }), container(1)]),
  deployment([container(0, { resources: {} }), container(1)]),
  deployment([container(0, { resources: null }), container(1)]),
  deployment([container(0, { ports: [] }), container(1)]),
  deployment([container(0)], { strategy: { type: 'Recreate' } }),
  deployment([container(0)], { strategy: {} }),
  deployment([container(0)], {}, {}),
  deployment([container(0)], {}, { app: 'x', tier: 'web' }),
  deployment([container(0)], { paused: null }),
  deployment([container(0, { securityContext: { capabilities: { add: ['NET_ADMIN'] } } })]),
];

const canonical = (f: Fields): string => JSON.stringify(toFieldsV1(f));

test('typedApply\'s set equals toFieldSet, with and without a reference set of any overlap', () => {
  for (const config of configs) {
    const want = canonical(toFieldSet(config, schema));
    const plain = typedApply(config, schema);
    assert.deepEqual(plain.errs, []);
    assert.equal(canonical(plain.set), want);
    for (const other of configs) {
      const ref = toFieldSet(other, schema);
      const before = JSON.stringify(ref);
      const got: Fields = typedApply(config, schema, ref).set;
      assert.equal(canonical(got), want, `config ${configs.indexOf(config)} against ref ${configs.indexOf(other)}`);
      assert.equal(JSON.stringify(ref), before, 'the reference set is never modified');
    }
  }
});

test('typedApply reuses the reference where the sets are equal', () => {
  const config = configs[0];
  const ref = toFieldSet(config, schema);
  const got = typedApply(config, schema, ref).set;
  assert.equal(got, ref, 'an equal set is the reference itself');
  const changed = typedApply(configs[3], schema, ref).set;
  // Only the image value changed: the set is the same, so every node is shared.
  assert.equal(changed, ref);
  const grown = typedApply(configs[1], schema, ref).set as Record<string, any>;
  assert.notEqual(grown, ref);
  assert.equal(grown['f:metadata'], (ref as Record<string, any>)['f:metadata'], 'untouched subtrees are shared');
  const items = grown['f:spec']['f:template']['f:spec']['f:containers'];
  const refItems = (ref as Record<string, any>)['f:spec']['f:template']['f:spec']['f:containers'];
  assert.equal(items['k:{"name":"c0"}'], refItems['k:{"name":"c0"}']);
  assert.ok(items['k:{"name":"c2"}']);
});

test('typedApply does not reuse a reference node whose membership differs', () => {
  const config = { apiVersion: 'apps/v1', kind: 'Deployment', spec: { replicas: 1, template: { spec: { containers: [{ name: 'a', image: 'i' }] } } } };
  const want = canonical(toFieldSet(config, schema));
  const memberSpec = structuredClone(toFieldSet(config, schema)) as Record<string, any>;
  memberSpec['f:spec']['.'] = {};
  assert.equal(canonical(typedApply(config, schema, memberSpec).set), want);
  const nonMemberItem = structuredClone(toFieldSet(config, schema)) as Record<string, any>;
  delete nonMemberItem['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"a"}']['.'];
  assert.equal(canonical(typedApply(config, schema, nonMemberItem).set), want);
});

test('typedApply tolerates a malformed reference (undecoded FieldsV1) without trusting it', () => {
  const config = configs[0];
  const want = canonical(toFieldSet(config, schema));
  const bad = { 'f:spec': { 'f:replicas': 5, 'f:template': [] }, 'x:nonsense': {} } as unknown as Fields;
  assert.equal(canonical(typedApply(config, schema, bad).set), want);
});

test('typedApply reports validate.go\'s errors', () => {
  const bad = deployment([container(0), container(0)], { replicas: 'two' });
  const errs = typedApply(bad, schema).errs;
  assert.ok(errs.some((e) => e.includes('.spec.replicas: expected numeric')));
  assert.ok(errs.some((e) => e.includes('duplicate entries for key [name="c0"]')));
  const undeclared = typedApply({ spec: { nope: 1 } }, schema).errs;
  assert.deepEqual(undeclared, ['.spec.nope: field not declared in schema']);
  assert.deepEqual(typedApply({ a: [1, { b: null }] }, DEDUCED).errs, []);
});

test('typedApply merges as typed.merge does, and returns the live object itself when nothing changes', () => {
  const lives = configs.map((c) => ({ ...structuredClone(c), status: { replicas: 2 }, metadata: { ...(c.metadata as object), uid: 'u', resourceVersion: '7' } }));
  for (const live of lives) {
    for (const config of configs) {
      const want = merge(live, config, schema);
      const got: unknown = typedApply(config, schema, undefined, live).merged;
      assert.deepEqual(got, want, `live ${lives.indexOf(live)} with config ${configs.indexOf(config)}`);
      assert.equal(got === live, want === live, 'identity of an unchanged merge');
    }
  }
  // Explicit nulls remove, key order follows the live object, new keys come last.
  const live = { spec: { replicas: 1, paused: true, minReadySeconds: 5 } };
  const merged = typedApply({ spec: { paused: null, revisionHistoryLimit: 3, replicas: 2 } }, schema, undefined, live).merged as Record<string, any>;
  assert.deepEqual(Object.keys(merged.spec), ['replicas', 'minReadySeconds', 'revisionHistoryLimit']);
  assert.equal(merged.spec.replicas, 2);
  // A live list item without its key cannot be typed: merged is left to typed.merge (its error).
  const broken = { spec: { template: { spec: { containers: [{ image: 'no-name' }] } } } };
  assert.equal(typedApply(configs[0], schema, undefined, broken).merged, undefined);
  assert.throws(() => merge(broken, configs[0], schema), /omits key field "name"/);
});

/** Item keys as structured-merge-diff writes them: key fields sorted by name, names and values as JSON. */
const specKey = (fields: Array<[string, unknown]>): string =>
  `k:{${[...fields].sort(([a], [b]) => (a < b ? -1 : 1)).map(([n, v]) => `${JSON.stringify(n)}:${JSON.stringify(v)}`).join(',')}}`;

test('item keys are written as structured-merge-diff writes them (JSON), cached or not', () => {
  const str = scalarNode('string');
  const byName: ListNode = { kind: 'list', rel: 'map', keys: ['name'], elem: DEDUCED };
  const byTwo: ListNode = { kind: 'list', rel: 'map', keys: ['protocol', 'containerPort'], elem: DEDUCED };
  const set: ListNode = { kind: 'list', rel: 'set', keys: [], elem: str };
  const values: unknown[] = ['c0', '', 'quote"d', 'back\\slash', 'tab\there', 'ünï', '\u2028', '\ud800lone', 'pair\ud83d\ude00', 80, 0, -0, 1.5, 1e21, true, false];
  for (let round = 0; round < 2; round++) {
    for (const v of values) {
      assert.equal(itemKey(byName, { name: v }), specKey([['name', v]]), `name ${JSON.stringify(v)}`);
      assert.equal(itemKey(byTwo, { containerPort: v, protocol: 'TCP' }), specKey([['protocol', 'TCP'], ['containerPort', v]]));
      assert.equal(itemKey(set, v), `v:${JSON.stringify(v)}`);
    }
  }
  assert.notEqual(itemKey(byName, { name: 80 }), itemKey(byName, { name: '80' }));
  assert.throws(() => itemKey(byName, { other: 1 }), /omits key field "name"/);
});

test('typedApply equals the separate functions for untyped (preserve-unknown-fields) and atomic schemas too', () => {
  for (const t of [DEDUCED, UNTYPED_ATOMIC]) {
    for (const config of configs) {
      const want = canonical(toFieldSet(config, t));
      for (const other of configs.slice(0, 5)) {
        const ref = toFieldSet(other, t);
        const live = structuredClone(other);
        const got = typedApply(config, t, ref, live);
        assert.deepEqual(got.errs, []);
        assert.equal(canonical(got.set), want);
        const merged: unknown = merge(live, config, t);
        assert.deepEqual(got.merged, merged);
        assert.equal(got.merged === live, merged === live);
      }
    }
  }
});
