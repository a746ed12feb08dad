/**
 * Watch fan-out over real HTTPS: several watchers of one collection each receive every event of
 * a burst of creates (written together, in revision order, each line exactly once) — the
 * contract the handler's shared event line and corked writes must keep.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { startTestKeks, type TestKeks } from '../../src/testing/harness.js';
import { eventually } from '../helpers/api.js';

interface Opened { lines: string[]; req: ReturnType<typeof https.request>; }

function request(tk: TestKeks, method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const u = new URL(tk.endpoint);
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = https.request({
      host: u.hostname, port: u.port, path, method, ca: tk.caPem,
      headers: { Authorization: `Bearer ${tk.token}`, Accept: 'application/json', ...(data ? { 'Content-Type': 'application/json' } : {}) },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

function openWatch(tk: TestKeks, path: string): Promise<Opened> {
  const u = new URL(tk.endpoint);
  return new Promise((resolve, reject) => {
    const lines: string[] = [];
    let buf = '';
    const req = https.request({ host: u.hostname, port: u.port, path, ca: tk.caPem, headers: { Authorization: `Bearer ${tk.token}` } }, (res) => {
      assert.equal(res.statusCode, 200);
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        buf += c;
        let i;
        while ((i = buf.indexOf('\n')) >= 0) { lines.push(buf.slice(0, i)); buf = buf.slice(i + 1); }
      });
      res.on('error', () => { /* destroyed at the end */ });
      resolve({ lines, req });
    });
    req.on('error', (e) => { if (!req.destroyed) reject(e); });
    req.end();
  });
}

/** Bounded polling (test/helpers/api.ts eventually). */
const waitFor = async (cond: () => boolean, ms = 5000): Promise<void> => { await eventually(cond, 'condition', ms, 10); };

describe('watch fan-out (HTTPS)', () => {
  let tk: TestKeks;
  before(async () => { tk = await startTestKeks({ store: 'sqlite' }); });
  after(async () => { await tk.stop(); });

  it('delivers every event of a burst to every watcher, once, in revision order', async () => {
    const ns = 'fanout';
    assert.equal((await request(tk, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } })).status, 201);
    const list = await request(tk, 'GET', `/api/v1/namespaces/${ns}/configmaps`);
    const rv = (list.json.metadata as { resourceVersion: string }).resourceVersion;
    const path = `/api/v1/namespaces/${ns}/configmaps?watch=1&resourceVersion=${rv}`;
    const watchers = await Promise.all([openWatch(tk, path), openWatch(tk, path), openWatch(tk, `${path}&labelSelector=n%3D3`)]);
    try {
      // A burst: all creates in flight at once, so several land in one commit and one fan-out.
      const n = 12;
      const created = await Promise.all(Array.from({ length: n }, (_, i) => request(tk, 'POST', `/api/v1/namespaces/${ns}/configmaps`, {
        apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, labels: { n: String(i) } }, data: { i: String(i) },
      })));
      for (const c of created) assert.equal(c.status, 201);
      await waitFor(() => watchers[0].lines.length >= n && watchers[1].lines.length >= n && watchers[2].lines.length >= 1);
      await new Promise((r) => setTimeout(r, 100)); // nothing more may arrive
      for (const w of watchers.slice(0, 2)) {
        assert.equal(w.lines.length, n);
        const events = w.lines.map((l) => JSON.parse(l) as { type: string; object: { metadata: { name: string; resourceVersion: string } } });
        assert.deepEqual(new Set(events.map((e) => e.object.metadata.name)), new Set(Array.from({ length: n }, (_, i) => `cm-${i}`)));
        for (const e of events) assert.equal(e.type, 'ADDED');
        const rvs = events.map((e) => Number(e.object.metadata.resourceVersion));
        assert.deepEqual(rvs, [...rvs].sort((a, b) => a - b));
      }
      // Both unfiltered watchers got byte-identical streams; the filtered one only its match.
      assert.deepEqual(watchers[0].lines, watchers[1].lines);
      assert.equal(watchers[2].lines.length, 1);
      assert.equal((JSON.parse(watchers[2].lines[0]) as { object: { metadata: { name: string } } }).object.metadata.name, 'cm-3');
    } finally {
      for (const w of watchers) w.req.destroy();
    }
  });
});
