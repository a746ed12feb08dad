import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/types.js';
import type { AdmissionAttributes } from './types.js';
import { fargateScheduler, globMatch, matchingProfile, type FargateProfileView } from './fargate-scheduler.js';

const PROFILES: FargateProfileView[] = [
  { name: 'apps', selectors: [{ namespace: 'serverless', labels: { app: 'web' } }, { namespace: 'team-*' }] },
  { name: 'fp-all', selectors: [{ namespace: 'serverless' }] },
];

function attrs(pod: KubeObject, over: Partial<AdmissionAttributes> = {}): AdmissionAttributes {
  return {
    operation: 'CREATE', group: '', version: 'v1', resource: 'pods', subresource: '', kind: 'Pod', namespace: pod.metadata.namespace ?? 'default', name: pod.metadata.name ?? '',
    object: pod, oldObject: null, user: { username: 'u', groups: [] }, dryRun: false, ...over,
  };
}

function pod(ns: string, labels: Record<string, string> = {}, spec: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: ns, labels }, spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec } };
}

describe('Fargate admission', () => {
  it('globs: * and ? wildcards, exact otherwise', () => {
    assert.equal(globMatch('team-*', 'team-a'), true);
    assert.equal(globMatch('team-?', 'team-ab'), false);
    assert.equal(globMatch('a.b', 'axb'), false);
    assert.equal(globMatch('prod', 'prod'), true);
  });

  it('first matching profile by selector (namespace + every label); a pod label picks among several', () => {
    assert.equal(matchingProfile(PROFILES, 'serverless', { app: 'web' }), 'apps');
    assert.equal(matchingProfile(PROFILES, 'serverless', { app: 'db' }), 'fp-all');
    assert.equal(matchingProfile(PROFILES, 'team-x', {}), 'apps');
    assert.equal(matchingProfile(PROFILES, 'default', { app: 'web' }), undefined);
    assert.equal(matchingProfile(PROFILES, 'serverless', { app: 'web', 'eks.amazonaws.com/fargate-profile': 'fp-all' }), 'fp-all');
    assert.equal(matchingProfile(PROFILES, 'default', { 'eks.amazonaws.com/fargate-profile': 'fp-all' }), undefined);
  });

  it('sets schedulerName and the profile annotation on matching new pods only', () => {
    const plugin = fargateScheduler({ profilesFor: () => PROFILES });
    const p = pod('serverless', { app: 'web' });
    plugin.mutate?.(attrs(p));
    assert.equal((p.spec as { schedulerName?: string }).schedulerName, 'fargate-scheduler');
    assert.equal(p.metadata.annotations?.['eks.amazonaws.com/fargate-profile'], 'apps');
    const other = pod('default');
    plugin.mutate?.(attrs(other));
    assert.equal((other.spec as { schedulerName?: string }).schedulerName, undefined);
    assert.equal(other.metadata.annotations, undefined);
  });

  it('leaves bound pods, other schedulers, DaemonSet pods, updates and no-profile clusters alone', () => {
    const plugin = fargateScheduler({ profilesFor: () => PROFILES });
    const cases: Array<[KubeObject, Partial<AdmissionAttributes>]> = [
      [pod('serverless', {}, { nodeName: 'n1' }), {}],
      [pod('serverless', {}, { schedulerName: 'my-scheduler' }), {}],
      [{ ...pod('serverless'), metadata: { name: 'd', namespace: 'serverless', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'ds', uid: 'u', controller: true }] } }, {}],
      [pod('serverless'), { operation: 'UPDATE' }],
    ];
    for (const [p, over] of cases) {
      const before = JSON.stringify(p);
      plugin.mutate?.(attrs(p, over));
      assert.equal(JSON.stringify(p), before);
    }
    const none = fargateScheduler({ profilesFor: () => [] });
    const p = pod('serverless');
    none.mutate?.(attrs(p));
    assert.equal((p.spec as { schedulerName?: string }).schedulerName, undefined);
  });
});
