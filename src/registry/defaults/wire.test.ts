import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { applyDefaults } from './index.js';
import { goJsonRoundTrip, hasGoType } from './wire.js';

test('goJsonRoundTrip gives the wire shape of Go structs: status structs, zero counters, no unknown fields', () => {
  const d: KubeObject = {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' },
    spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'nginx', bogus: 1 }] } } },
  };
  applyDefaults(d);
  const out = goJsonRoundTrip(d) as Record<string, any>;
  assert.equal(out.apiVersion, 'apps/v1');
  assert.equal(out.kind, 'Deployment');
  assert.deepEqual(out.status, {});
  assert.equal(out.spec.template.spec.containers[0].bogus, undefined);
  assert.deepEqual(out.spec.template.spec.containers[0].resources, {});
  assert.equal(out.spec.template.metadata.creationTimestamp, null);
  assert.deepEqual(out.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
  assert.equal(d.status, undefined, 'the input is not modified');

  const sts = goJsonRoundTrip({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 's' }, spec: {} }) as Record<string, any>;
  assert.deepEqual(sts.status, { replicas: 0, availableReplicas: 0 });
  const svc = goJsonRoundTrip({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { type: 'ClusterIP' } }) as Record<string, any>;
  assert.deepEqual(svc.status, { loadBalancer: {} });
});

test('goJsonRoundTrip leaves kinds without a Go type alone', () => {
  assert.equal(hasGoType('example.com/v1', 'Widget'), false);
  assert.equal(hasGoType('apps/v1', 'Deployment'), true);
  const cr: KubeObject = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { anything: true } };
  assert.equal(goJsonRoundTrip(cr), cr);
});
