// LIST and WATCH consistency over HTTPS (in-process, memory store): paging with limit/continue
// is a snapshot at the first page's revision even while writes happen; resourceVersionMatch=Exact
// reads history; a watch from an old resourceVersion replays every change in order; a compacted
// resourceVersion is 410 Expired; sendInitialEvents ends its initial state with the
// `k8s.io/initial-events-end` bookmark; label-filtered watches see objects leave and enter.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestKeks, type TestKeks } from '../../src/testing/harness.js';
import type { ApiClient } from '../helpers/api.js';
import { tokenClient } from '../helpers/keks.js';

const MERGE = 'application/merge-patch+json';

describe('list and watch consistency', () => {
  let tk: TestKeks;
  let api: ApiClient;
  const nsPath = (ns: string): string => `/api/v1/namespaces/${ns}/configmaps`;
  const mkns = async (ns: string): Promise<void> => {
    const r = await api.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    assert.equal(r.status, 201, r.text);
  };
  const mkcm = async (ns: string, name: string, data: Record<string, string> = {}, labels?: Record<string, string>): Promise<any> => {
    const r = await api.post(nsPath(ns), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data });
    assert.equal(r.status, 201, r.text);
    return r.json();
  };

  before(async () => {
    tk = await startTestKeks({ store: 'memory' });
    api = tokenClient(tk);
  });
  after(async () => {
    api?.close();
    await tk?.stop();
  });

  it('limit/continue pages are one snapshot while writes happen', async () => {
    await mkns('pages');
    const names = Array.from({ length: 10 }, (_, i) => `item-${String(i).padStart(2, '0')}`);
    for (const n of names) await mkcm('pages', n, { v: 'orig' });
    const first = await api.get(`${nsPath('pages')}?limit=3`);
    assert.equal(first.status, 200, first.text);
    const p1 = first.json();
    const snapshotRV = Number(p1.metadata.resourceVersion);
    assert.deepEqual(p1.items.map((i: any) => i.metadata.name), names.slice(0, 3));
    assert.ok(p1.metadata.continue);

    // Writes between pages: new objects, a deletion, an update.
    await mkcm('pages', 'item-05a');
    await mkcm('pages', 'item-99');
    assert.equal((await api.delete(`${nsPath('pages')}/item-07`)).status, 200);
    assert.equal((await api.patch(`${nsPath('pages')}/item-08`, { data: { v: 'changed' } }, MERGE)).status, 200);

    const seen = [...p1.items];
    let token = p1.metadata.continue as string;
    let pages = 1;
    while (token) {
      const r = await api.get(`${nsPath('pages')}?limit=3&continue=${encodeURIComponent(token)}`);
      assert.equal(r.status, 200, r.text);
      const p = r.json();
      assert.equal(Number(p.metadata.resourceVersion), snapshotRV, 'every page is served at the first page\'s revision');
      seen.push(...p.items);
      token = p.metadata.continue;
      if (++pages > 10) assert.fail('too many pages');
    }
    assert.equal(pages, 4);
    assert.deepEqual(seen.map((i) => i.metadata.name), names);
    for (const i of seen) assert.ok(Number(i.metadata.resourceVersion) <= snapshotRV);
    assert.equal(seen.find((i) => i.metadata.name === 'item-08').data.v, 'orig');
    // A fresh list sees the writes.
    const now = (await api.get(nsPath('pages'))).json().items.map((i: any) => i.metadata.name);
    assert.ok(now.includes('item-05a') && now.includes('item-99') && !now.includes('item-07'));
    // A continue token with a resourceVersion is refused.
    const both = await api.get(`${nsPath('pages')}?limit=3&continue=${encodeURIComponent(p1.metadata.continue)}&resourceVersion=${snapshotRV}`);
    assert.equal(both.status, 400, both.text);
  });

  it('resourceVersionMatch=Exact lists the state at an old resourceVersion', async () => {
    await mkns('exact');
    await mkcm('exact', 'a', { v: '1' });
    const b = await mkcm('exact', 'b', { v: '1' });
    const oldRV = b.metadata.resourceVersion;
    await mkcm('exact', 'c');
    await api.patch(`${nsPath('exact')}/a`, { data: { v: '2' } }, MERGE);
    await api.delete(`${nsPath('exact')}/b`);

    const r = await api.get(`${nsPath('exact')}?resourceVersion=${oldRV}&resourceVersionMatch=Exact`);
    assert.equal(r.status, 200, r.text);
    const l = r.json();
    assert.equal(l.metadata.resourceVersion, oldRV);
    assert.deepEqual(l.items.map((i: any) => [i.metadata.name, i.data.v]), [['a', '1'], ['b', '1']]);
    const latest = (await api.get(`${nsPath('exact')}?resourceVersion=${oldRV}&resourceVersionMatch=NotOlderThan`)).json();
    assert.ok(Number(latest.metadata.resourceVersion) > Number(oldRV));
    assert.deepEqual(latest.items.map((i: any) => [i.metadata.name, i.data?.v]), [['a', '2'], ['c', undefined]]);
    const bad = await api.get(`${nsPath('exact')}?resourceVersionMatch=Exact`);
    assert.equal(bad.status, 422, bad.text);
    const future = await api.get(`${nsPath('exact')}?resourceVersion=${Number(latest.metadata.resourceVersion) + 1000}&resourceVersionMatch=Exact`);
    assert.equal(future.status, 504, future.text);
    assert.match(future.json().message, /Too large resource version/);
  });

  it('a watch from an old resourceVersion replays every change in order', async () => {
    await mkns('replay');
    const before = (await api.get(nsPath('replay'))).json().metadata.resourceVersion;
    await mkcm('replay', 'x', { v: '1' });
    await api.patch(`${nsPath('replay')}/x`, { data: { v: '2' } }, MERGE);
    await mkcm('replay', 'y');
    await api.delete(`${nsPath('replay')}/x`);
    const w = api.watch(`${nsPath('replay')}?watch=true&resourceVersion=${before}`);
    try {
      await w.waitEvents(4);
      assert.equal(w.status, 200);
      assert.match(String(w.headers['content-type']), /^application\/json/);
      assert.deepEqual(w.events.map((e) => [e.type, e.object.metadata.name, e.object.data?.v]), [
        ['ADDED', 'x', '1'], ['MODIFIED', 'x', '2'], ['ADDED', 'y', undefined], ['DELETED', 'x', '2'],
      ]);
      const rvs = w.events.map((e) => Number(e.object.metadata.resourceVersion));
      assert.deepEqual(rvs, [...rvs].sort((a, b) => a - b));
      assert.equal(new Set(rvs).size, 4);
      assert.ok(w.events.every((e) => e.object.kind === 'ConfigMap' && e.object.apiVersion === 'v1'));
      // Live events continue on the same stream.
      await mkcm('replay', 'z');
      await w.waitEvents(5);
      assert.deepEqual([w.events[4].type, w.events[4].object.metadata.name], ['ADDED', 'z']);
    } finally {
      w.stop();
    }
  });

  it('a label-filtered watch sees an object leave (DELETED) and enter (ADDED) the selection', async () => {
    await mkns('filtered');
    const rv = (await api.get(nsPath('filtered'))).json().metadata.resourceVersion;
    const w = api.watch(`${nsPath('filtered')}?watch=true&resourceVersion=${rv}&labelSelector=team%3Dblue`);
    try {
      await w.waitHeaders();
      await mkcm('filtered', 'f', {}, { team: 'blue' });
      await api.patch(`${nsPath('filtered')}/f`, { metadata: { labels: { team: 'red' } } }, MERGE);
      await api.patch(`${nsPath('filtered')}/f`, { data: { ignored: 'yes' } }, MERGE);
      await api.patch(`${nsPath('filtered')}/f`, { metadata: { labels: { team: 'blue' } } }, MERGE);
      await w.waitEvents(3);
      assert.deepEqual(w.events.map((e) => [e.type, e.object.metadata.labels.team]), [['ADDED', 'blue'], ['DELETED', 'blue'], ['ADDED', 'blue']]);
    } finally {
      w.stop();
    }
  });

  it('a watch or an exact list from a compacted resourceVersion is 410 Expired', async () => {
    await mkns('compact');
    const old = (await mkcm('compact', 'o1')).metadata.resourceVersion;
    await mkcm('compact', 'o2');
    await api.patch(`${nsPath('compact')}/o1`, { data: { v: 'x' } }, MERGE);
    const current = await tk.keks.store.currentRevision();
    await tk.keks.store.compact(current);

    const w = api.watch(`${nsPath('compact')}?watch=true&resourceVersion=${old}`);
    try {
      await w.waitEnd();
      assert.equal(w.status, 410, w.errorBody);
      const s = JSON.parse(w.errorBody);
      assert.equal(s.kind, 'Status');
      assert.equal(s.reason, 'Expired');
      assert.equal(s.code, 410);
      assert.match(s.message, /^too old resource version: /);
    } finally {
      w.stop();
    }
    const l = await api.get(`${nsPath('compact')}?resourceVersion=${old}&resourceVersionMatch=Exact`);
    assert.equal(l.status, 410, l.text);
    assert.equal(l.json().reason, 'Expired');
    assert.equal(l.json().message, 'The resourceVersion for the provided list is too old.');
    // From the compaction point on, watching works.
    const ok = api.watch(`${nsPath('compact')}?watch=true&resourceVersion=${current}`);
    try {
      await ok.waitHeaders();
      assert.equal(ok.status, 200);
      await mkcm('compact', 'o3');
      await ok.waitEvents(1);
      assert.equal(ok.events[0].object.metadata.name, 'o3');
    } finally {
      ok.stop();
    }
  });

  it('sendInitialEvents=true streams the state, then a bookmark annotated k8s.io/initial-events-end', async () => {
    await mkns('initial');
    for (const n of ['i1', 'i2', 'i3']) await mkcm('initial', n);
    const w = api.watch(`${nsPath('initial')}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`);
    try {
      await w.waitEvents(4);
      assert.deepEqual(w.events.slice(0, 3).map((e) => [e.type, e.object.metadata.name]), [['ADDED', 'i1'], ['ADDED', 'i2'], ['ADDED', 'i3']]);
      const bm = w.events[3];
      assert.equal(bm.type, 'BOOKMARK');
      assert.equal(bm.object.kind, 'ConfigMap');
      assert.equal(bm.object.metadata.annotations['k8s.io/initial-events-end'], 'true');
      const bmRV = Number(bm.object.metadata.resourceVersion);
      assert.ok(bmRV >= Math.max(...w.events.slice(0, 3).map((e) => Number(e.object.metadata.resourceVersion))));
      await mkcm('initial', 'i4');
      await w.waitEvents(5);
      assert.deepEqual([w.events[4].type, w.events[4].object.metadata.name], ['ADDED', 'i4']);
      assert.ok(Number(w.events[4].object.metadata.resourceVersion) > bmRV);
    } finally {
      w.stop();
    }
    // sendInitialEvents without allowWatchBookmarks is refused (ValidateListOptions).
    const bad = await api.get(`${nsPath('initial')}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan`);
    assert.equal(bad.status, 422, bad.text);
    assert.match(bad.json().message, /allowWatchBookmarks: Forbidden: sendInitialEvents requires setting allowWatchBookmarks to true/);
  });

  it('an unfiltered paged list reports remainingItemCount (etcd3 store GetList)', async () => {
    await mkns('remaining');
    for (const n of ['r1', 'r2', 'r3', 'r4', 'r5']) await mkcm('remaining', n);
    const p = (await api.get(`${nsPath('remaining')}?limit=2`)).json();
    assert.equal(p.metadata.remainingItemCount, 3);
  });

  it('the initial-events-end bookmark carries the apiVersion of the watched kind', async () => {
    const w = api.watch(`${nsPath('initial')}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`);
    try {
      await w.until((s) => s.events.some((e) => e.type === 'BOOKMARK'), 'bookmark');
      assert.equal(w.events.find((e) => e.type === 'BOOKMARK')?.object.apiVersion, 'v1');
    } finally {
      w.stop();
    }
  });
});
