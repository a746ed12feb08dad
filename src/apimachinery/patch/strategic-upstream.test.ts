/**
 * Upstream application cases of k8s.io/apimachinery v0.32.0 pkg/util/strategicpatch/patch_test.go
 * (testdata/strategic-upstream-cases.json holds its YAML test data converted to JSON), run over
 * the test's MergeItem struct. For each case the expected patches are applied:
 *   twoWay to original → twoWayResult ?? modified;  threeWay to current → result.
 * Like upstream, the YAML cases compare with merge lists sorted by key (sortMergeListsByName);
 * the raw cases compare element order exactly.
 */
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../errors.js';
import { applyStrategicMergePatchWithSchema } from './strategic.js';
import { PatchSchemaSet, type PatchMetaDocument, type SchemaNode, lookupForSlice, lookupForStruct } from './strategic-schema.js';

type Obj = Record<string, unknown>;

interface Case {
  description: string;
  original?: Obj; twoWay?: Obj; modified?: Obj; twoWayResult?: Obj;
  current?: Obj; threeWay?: Obj; result?: Obj; expectedError?: string;
}
interface Cases { createCases: Case[]; customCases: Case[]; rawCases: Case[]; customRawCases: Case[] }

const cases = JSON.parse(readFileSync(new URL('./testdata/strategic-upstream-cases.json', import.meta.url.replace('/dist/src/', '/src/')), 'utf8')) as Cases;

/** The MergeItem / RetainKeysMergeItem structs of patch_test.go, in generator format. */
export const MERGE_ITEM_DOC: PatchMetaDocument = {
  kinds: { 'test/v1 MergeItem': 'test.MergeItem' },
  types: {
    'test.MergeItem': {
      name: 'MergeItem',
      fields: {
        name: 'string', value: 'string', other: 'string',
        mergingList: { t: 'slice', elem: 'test.MergeItem', ps: 'merge', mk: 'name' },
        nonMergingList: { t: 'slice', elem: 'test.MergeItem' },
        mergingIntList: { t: 'slice', elem: 'int64', ps: 'merge' },
        nonMergingIntList: { t: 'slice', elem: 'int64' },
        mergeItemPtr: { t: 'struct', ref: 'test.MergeItem', ps: 'merge', mk: 'name' },
        simpleMap: { t: 'map', elem: 'string' },
        replacingItem: { t: 'struct', ref: 'test.RawExtension', ps: 'replace' },
        retainKeysMap: { t: 'struct', ref: 'test.RetainKeysMergeItem', ps: 'retainKeys' },
        retainKeysMergingList: { t: 'slice', elem: 'test.MergeItem', ps: 'merge,retainKeys', mk: 'name' },
      },
    },
    'test.RetainKeysMergeItem': {
      name: 'RetainKeysMergeItem',
      fields: {
        name: 'string', value: 'string', other: 'string',
        simpleMap: { t: 'map', elem: 'string' },
        mergingIntList: { t: 'slice', elem: 'int64', ps: 'merge' },
        mergingList: { t: 'slice', elem: 'test.MergeItem', ps: 'merge', mk: 'name' },
        nonMergingList: { t: 'slice', elem: 'test.MergeItem' },
      },
    },
    'test.RawExtension': { name: 'RawExtension', fields: {} },
  },
};

export const mergeItemSchema: SchemaNode = new PatchSchemaSet({ document: MERGE_ITEM_DOC }).struct('test.MergeItem');

const str = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

/** sortMergeListsByName: merge lists sorted by key, merge scalar lists deduplicated and sorted. */
function sortMergeLists(v: Obj, schema: SchemaNode): Obj {
  const out: Obj = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === '$retainKeys' || k.startsWith('$deleteFromPrimitiveList')) out[k] = [...(x as unknown[])].sort((a, b) => (str(a) < str(b) ? -1 : 1));
    else if (x !== null && typeof x === 'object' && !Array.isArray(x) && !k.startsWith('$')) {
      let sub: SchemaNode | undefined;
      try { sub = lookupForStruct(schema, k).schema; } catch { sub = undefined; }
      out[k] = sub ? sortMergeLists(x as Obj, sub) : x;
    } else if (Array.isArray(x) && !k.startsWith('$')) {
      let r: ReturnType<typeof lookupForSlice> | undefined;
      try { r = lookupForSlice(schema, k); } catch { r = undefined; }
      if (r && r.strategies.includes('merge') && x.length > 0) {
        if (x.every((e) => e !== null && typeof e === 'object')) {
          const el = r.schema;
          out[k] = x.map((e) => sortMergeLists(e as Obj, el)).sort((a, b) => (str(a[r.mergeKey]) < str(b[r.mergeKey]) ? -1 : 1));
        } else {
          out[k] = [...new Set(x)].sort((a, b) => (str(a) < str(b) ? -1 : 1));
        }
      } else out[k] = x;
    } else out[k] = x;
  }
  return out;
}

function apply(original: Obj | undefined, patch: Obj | undefined): Obj {
  return applyStrategicMergePatchWithSchema(original ?? {}, patch ?? {}, mergeItemSchema) as Obj;
}

function checkSorted(original: Obj | undefined, patch: Obj | undefined, expected: Obj | undefined, label: string): void {
  const before = JSON.stringify([original, patch]);
  const got = apply(original, patch);
  assert.deepStrictEqual(sortMergeLists(got, mergeItemSchema), sortMergeLists(expected ?? {}, mergeItemSchema), label);
  assert.equal(JSON.stringify([original, patch]), before, `${label}: inputs must not be mutated`);
}

function checkExact(original: Obj | undefined, patch: Obj | undefined, expected: Obj | undefined, expectedError: string | undefined, label: string): void {
  if (expectedError) {
    assert.throws(() => apply(original, patch), (e: unknown) => e instanceof StatusError && e.message.includes(expectedError), label);
    return;
  }
  const before = JSON.stringify([original, patch]);
  assert.deepStrictEqual(apply(original, patch), expected ?? {}, label);
  assert.equal(JSON.stringify([original, patch]), before, `${label}: inputs must not be mutated`);
}

test('upstream createStrategicMergePatchTestCaseData: two-way and three-way patches apply (sorted compare)', () => {
  assert.ok(cases.createCases.length >= 20);
  for (const c of cases.createCases) {
    if (c.twoWay) checkSorted(c.original, c.twoWay, c.twoWayResult ?? c.modified, `${c.description}/TwoWay`);
    if (c.threeWay && c.result) checkSorted(c.current, c.threeWay, c.result, `${c.description}/ThreeWay`);
  }
});

test('upstream customStrategicMergePatchTestCaseData: hand-written patches apply (sorted compare)', () => {
  assert.ok(cases.customCases.length >= 15);
  for (const c of cases.customCases) checkSorted(c.original, c.twoWay, c.twoWayResult ?? c.modified, c.description);
});

test('upstream strategicMergePatchRawTestCases: exact element order ($setElementOrder, $patch, $retainKeys, …)', () => {
  assert.ok(cases.rawCases.length >= 90);
  for (const c of cases.rawCases) {
    if (c.twoWay) checkExact(c.original, c.twoWay, c.twoWayResult ?? c.modified, c.expectedError, `${c.description}/TwoWay`);
    if (c.threeWay && c.result) checkExact(c.current, c.threeWay, c.result, c.expectedError, `${c.description}/ThreeWay`);
  }
});

test('upstream customStrategicMergePatchRawTestCases: exact order and expected errors', () => {
  assert.ok(cases.customRawCases.length >= 10);
  for (const c of cases.customRawCases) checkExact(c.original, c.twoWay, c.modified, c.expectedError, c.description);
});
