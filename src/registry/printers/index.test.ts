import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { defaultPrinter, printedResources, printerFor } from './index.js';

const ctx = { now: new Date('2024-06-01T12:00:00Z') };

test('default printer: NAME and CREATED AT (RFC3339, UTC), as rest.NewDefaultTableConvertor', () => {
  assert.deepEqual(defaultPrinter.columns.map((c) => [c.name, c.type, c.format, c.priority]), [['Name', 'string', 'name', 0], ['Created At', 'date', '', 0]]);
  assert.match(defaultPrinter.columns[1].description, /^CreationTimestamp is a timestamp/);
  const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'reader', creationTimestamp: '2024-05-31T09:08:07Z' } };
  assert.deepEqual(defaultPrinter.cells(role, ctx), ['reader', '2024-05-31T09:08:07Z']);
});

test('printerFor falls back to the default printer for kinds upstream prints by default', () => {
  for (const [g, r] of [['rbac.authorization.k8s.io', 'roles'], ['rbac.authorization.k8s.io', 'clusterroles'], ['', 'limitranges'],
    ['storage.k8s.io', 'csistoragecapacities'], ['apiextensions.k8s.io', 'customresourcedefinitions'], ['example.com', 'widgets']]) {
    assert.equal(printerFor(g, r), defaultPrinter, `${g}/${r}`);
  }
  assert.deepEqual(printerFor('', 'pods').columns.slice(0, 5).map((c) => c.name), ['Name', 'Ready', 'Status', 'Restarts', 'Age']);
  assert.equal(printerFor('events.k8s.io', 'events'), printerFor('', 'events'));
  assert.notEqual(printerFor('apps', 'deployments'), defaultPrinter);
});

test('every printer returns one cell per column, even for a bare object, and has column metadata', () => {
  const bare: KubeObject = { metadata: { name: 'x', creationTimestamp: '2024-06-01T11:00:00Z' } };
  for (const key of printedResources()) {
    const slash = key.indexOf('/');
    const p = printerFor(key.slice(0, slash), key.slice(slash + 1));
    const cells = p.cells(bare, ctx);
    // ipaddresses: upstream declares 2 columns and appends 3 cells.
    assert.equal(cells.length, p.columns.length + (key === 'networking.k8s.io/ipaddresses' ? 1 : 0), key);
    for (const c of p.columns) {
      assert.ok(['string', 'integer', 'boolean', 'date'].includes(c.type), `${key} ${c.name}`);
      assert.ok(c.priority === 0 || c.priority === 1);
    }
    for (const cell of cells) assert.ok(['string', 'number', 'boolean'].includes(typeof cell), `${key}: ${String(cell)}`);
  }
});

test('printing 10,000 pods takes well under 100 ms', () => {
  const pods: KubeObject[] = [];
  for (let i = 0; i < 10_000; i++) {
    pods.push({
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name: `web-${i}`, namespace: 'default', creationTimestamp: '2024-06-01T10:00:00Z', labels: { app: 'web' } },
      spec: { nodeName: `node-${i % 50}`, containers: [{ name: 'app', image: 'nginx' }, { name: 'sidecar', image: 'envoy' }] },
      status: {
        phase: 'Running', podIP: `10.0.${i >> 8}.${i & 255}`, podIPs: [{ ip: `10.0.${i >> 8}.${i & 255}` }],
        conditions: [{ type: 'Initialized', status: 'True' }, { type: 'Ready', status: 'True' }, { type: 'PodScheduled', status: 'True' }],
        containerStatuses: [
          { name: 'app', ready: true, restartCount: i % 3, started: true, state: { running: { startedAt: '2024-06-01T10:00:05Z' } }, lastState: i % 3 ? { terminated: { exitCode: 1, finishedAt: '2024-06-01T10:30:00Z' } } : {} },
          { name: 'sidecar', ready: true, restartCount: 0, started: true, state: { running: { startedAt: '2024-06-01T10:00:05Z' } } },
        ],
      },
    });
  }
  const p = printerFor('', 'pods');
  // Steady state (a running server has compiled the printer): best of three passes after one warm-up.
  let best = Infinity;
  for (let pass = 0; pass < 4; pass++) {
    const start = process.hrtime.bigint();
    let n = 0;
    for (const pod of pods) n += p.cells(pod, ctx).length;
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    assert.equal(n, 90_000);
    if (pass > 0) best = Math.min(best, ms);
  }
  assert.ok(best < 100, `10,000 pods took ${best.toFixed(1)} ms`);
});
