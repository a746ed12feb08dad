import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { computeSubsets } from './subsets.js';
import { TriggerTimeTracker } from './trigger-time.js';

const svc = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'ns', creationTimestamp: '2026-01-01T00:00:00Z' }, spec: { selector: { app: 'a' }, ...spec } });
const pod = (name: string, ip: string, ready: boolean, extra: { port?: number; deleting?: boolean; phase?: string } = {}): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name, namespace: 'ns', uid: `uid-${name}`, ...(extra.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
  spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'x', ports: [{ name: 'http', containerPort: extra.port ?? 8080 }] }] },
  status: { phase: extra.phase ?? 'Running', podIP: ip, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: '2026-01-01T00:00:05Z' }] },
});

test('ready and not-ready pods share a subset per port set; terminal, IP-less and terminating pods are left out', () => {
  const s = svc({ ports: [{ name: 'web', port: 80, targetPort: 'http', protocol: 'TCP' }] });
  const { subsets, truncated } = computeSubsets(s, [
    pod('b', '10.0.0.2', false), pod('a', '10.0.0.1', true), pod('c', '10.0.0.3', true, { port: 9090 }),
    pod('gone', '10.0.0.4', true, { deleting: true }), pod('done', '10.0.0.5', true, { phase: 'Succeeded' }), pod('noip', '', true),
  ]);
  assert.equal(truncated, false);
  assert.equal(subsets.length, 2);
  const s8080 = subsets.find((x) => x.ports?.[0].port === 8080)!;
  assert.deepEqual(s8080.addresses?.map((a) => a.ip), ['10.0.0.1']);
  assert.deepEqual(s8080.notReadyAddresses?.map((a) => a.ip), ['10.0.0.2']);
  assert.deepEqual(s8080.ports, [{ name: 'web', port: 8080, protocol: 'TCP' }]);
  assert.deepEqual(s8080.addresses?.[0], { ip: '10.0.0.1', nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'ns', name: 'a', uid: 'uid-a' } });
  assert.deepEqual(subsets.find((x) => x.ports?.[0].port === 9090)?.addresses?.map((a) => a.ip), ['10.0.0.3']);
});

test('publishNotReadyAddresses lists every pod, terminating ones too; several ports offered by the same pods share a subset', () => {
  const s = svc({ publishNotReadyAddresses: true, ports: [{ name: 'a', port: 80, targetPort: 8080, protocol: 'TCP' }, { name: 'b', port: 81, targetPort: 8081, protocol: 'TCP' }] });
  const { subsets } = computeSubsets(s, [pod('x', '10.0.0.9', false), pod('y', '10.0.0.8', false, { deleting: true })]);
  assert.equal(subsets.length, 1);
  assert.deepEqual(subsets[0].addresses?.map((a) => a.ip), ['10.0.0.8', '10.0.0.9']);
  assert.deepEqual(subsets[0].ports?.map((p) => p.port), [8080, 8081]);
});

test('a headless Service without ports lists addresses alone', () => {
  const { subsets } = computeSubsets(svc({ clusterIP: 'None' }), [pod('a', '10.0.0.1', true)]);
  assert.deepEqual(subsets.map((x) => [x.addresses?.length, x.ports]), [[1, undefined]]);
});

test('the last-change trigger time is the earliest change since the previous sync', () => {
  const t = new TriggerTimeTracker();
  const s = svc({});
  assert.equal(t.compute('ns/s', s, [pod('a', '10.0.0.1', true)]), '2026-01-01T00:00:00Z', 'first sync: the Service creation');
  assert.equal(t.compute('ns/s', s, [pod('a', '10.0.0.1', true)]), undefined, 'nothing changed');
  const p = pod('a', '10.0.0.1', false);
  (p.status as { conditions: Array<{ lastTransitionTime: string }> }).conditions[0].lastTransitionTime = '2026-01-01T00:01:00Z';
  assert.equal(t.compute('ns/s', s, [p]), '2026-01-01T00:01:00Z');
});
