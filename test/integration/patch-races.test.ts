// Concurrent patches of one object: a patch is retried on the fresh object when another write
// lands between its read and its write (handlers/patch.go), unless the patch itself named a
// resourceVersion, which then fails with 409 Conflict.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestKeks, type TestKeks } from '../../src/testing/harness.js';
import type { ApiClient } from '../helpers/api.js';
import { tokenClient } from '../helpers/keks.js';

const CM = '/api/v1/namespaces/default/configmaps';
const MERGE = 'application/merge-patch+json';

describe('patch races', () => {
  let tk: TestKeks;
  let api: ApiClient;
  before(async () => {
    tk = await startTestKeks({ store: 'sqlite', controllers: ['namespace'] });
    api = tokenClient(tk);
  });
  after(async () => {
    api?.close();
    await tk?.stop();
  });

  it('40 concurrent merge patches of different keys all succeed and all land', async () => {
    assert.equal((await api.post(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'race' } })).status, 201);
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) =>
      api.patch(`${CM}/race`, { data: { [`k${i}`]: String(i) } }, MERGE)));
    assert.deepEqual(results.map((r) => r.status).filter((s) => s !== 200), [], 'no patch failed');
    const data = (await api.get(`${CM}/race`)).json().data as Record<string, string>;
    assert.equal(Object.keys(data).length, 40);
  });

  it('a patch naming a stale resourceVersion is a 409', async () => {
    const created = (await api.post(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'stale' }, data: { a: '1' } })).json();
    const rv = created.metadata.resourceVersion as string;
    assert.equal((await api.patch(`${CM}/stale`, { data: { a: '2' } }, MERGE)).status, 200);
    const stale = await api.patch(`${CM}/stale`, { metadata: { resourceVersion: rv }, data: { a: '3' } }, MERGE);
    assert.equal(stale.status, 409, stale.text);
    assert.equal((await api.get(`${CM}/stale`)).json().data.a, '2');
  });
});
