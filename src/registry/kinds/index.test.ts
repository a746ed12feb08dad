// The built-in kinds' field validation is loaded by Strategy.load (the generic store awaits it
// before a write); using it earlier is a bug and says so instead of skipping validation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { strategyFor } from './index.js';
import { servedResources } from '../served.js';
import type { KubeObject } from '../../api/types.js';

const deployments = servedResources().find((r) => r.group === 'apps' && r.resource === 'deployments');

test('Deployment validation runs after load(), never silently before it', async () => {
  assert.ok(deployments);
  const s = strategyFor(deployments);
  const bad = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'x' }, spec: { replicas: -1, selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } } } as unknown as KubeObject;
  assert.ok(s.load, 'built-in kinds have a load step');
  // Nothing in this test process has written yet, so the validation modules are not loaded.
  assert.throws(() => s.validate(bad), /used before Strategy\.load\(\)/);
  await s.load();
  const errs = s.validate(bad);
  assert.ok(errs.some((e) => e.field === 'spec.replicas'), JSON.stringify(errs));
});
