/** Golden tests for Service, Job and CronJob defaults (kube-apiserver 1.32, see workloads.test.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { applyDefaults } from './index.js';

function defaulted(obj: KubeObject): KubeObject {
  const out = structuredClone(obj);
  applyDefaults(out);
  const twice = structuredClone(out);
  applyDefaults(twice);
  assert.deepEqual(twice, out, 'defaulting twice must give the same object');
  return out;
}
const svc = (spec: Record<string, unknown>, status?: Record<string, unknown>): KubeObject => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec, ...(status ? { status } : {}),
});

test('Service: kubectl create service clusterip web --tcp=80:8080 (no clusterIP: allocation is not defaulting)', () => {
  const out = defaulted(svc({ ports: [{ name: '80-8080', port: 80, targetPort: 8080 }], selector: { app: 'web' } }));
  assert.deepEqual(out.spec, {
    internalTrafficPolicy: 'Cluster',
    ports: [{ name: '80-8080', port: 80, protocol: 'TCP', targetPort: 8080 }],
    selector: { app: 'web' },
    sessionAffinity: 'None',
    type: 'ClusterIP',
  });
});

test('Service: targetPort defaults to port; named targetPort is kept', () => {
  const out = defaulted(svc({ ports: [{ port: 80 }, { port: 443, targetPort: 'https' }, { port: 53, protocol: 'UDP', targetPort: 0 }] }));
  assert.deepEqual((out.spec as any).ports, [
    { port: 80, protocol: 'TCP', targetPort: 80 },
    { port: 443, protocol: 'TCP', targetPort: 'https' },
    { port: 53, protocol: 'UDP', targetPort: 53 },
  ]);
});

test('Service: NodePort and LoadBalancer get externalTrafficPolicy; LoadBalancer allocateLoadBalancerNodePorts and ipMode', () => {
  const np = defaulted(svc({ type: 'NodePort', ports: [{ port: 80 }] }));
  assert.deepEqual(np.spec, { type: 'NodePort', ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }], sessionAffinity: 'None', externalTrafficPolicy: 'Cluster', internalTrafficPolicy: 'Cluster' });
  const lb = defaulted(svc({ type: 'LoadBalancer', ports: [{ port: 80 }] }, { loadBalancer: { ingress: [{ ip: '10.0.0.1' }, { hostname: 'lb.example.com' }] } }));
  assert.deepEqual(lb.spec, {
    type: 'LoadBalancer', ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }], sessionAffinity: 'None',
    externalTrafficPolicy: 'Cluster', internalTrafficPolicy: 'Cluster', allocateLoadBalancerNodePorts: true,
  });
  assert.deepEqual(lb.status, { loadBalancer: { ingress: [{ ip: '10.0.0.1', ipMode: 'VIP' }, { hostname: 'lb.example.com' }] } });
});

test('Service: ClusterIP with externalIPs is externally accessible; ExternalName gets no traffic policies', () => {
  const ext = defaulted(svc({ ports: [{ port: 80 }], externalIPs: ['1.2.3.4'] }));
  assert.equal((ext.spec as any).externalTrafficPolicy, 'Cluster');
  const en = defaulted(svc({ type: 'ExternalName', externalName: 'example.com' }));
  assert.deepEqual(en.spec, { type: 'ExternalName', externalName: 'example.com', sessionAffinity: 'None' });
});

test('Service: sessionAffinity ClientIP gets the 3 hour timeout; None drops sessionAffinityConfig', () => {
  const cip = defaulted(svc({ sessionAffinity: 'ClientIP', ports: [{ port: 80 }] }));
  assert.deepEqual((cip.spec as any).sessionAffinityConfig, { clientIP: { timeoutSeconds: 10800 } });
  const kept = defaulted(svc({ sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } } }));
  assert.deepEqual((kept.spec as any).sessionAffinityConfig, { clientIP: { timeoutSeconds: 60 } });
  const none = defaulted(svc({ sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } } }));
  assert.equal((none.spec as any).sessionAffinityConfig, undefined);
});

const pi = { name: 'pi', image: 'perl:5.34.0', command: ['perl', '-Mbignum=bpi', '-wle', 'print bpi(2000)'] };
const piDefaulted = { ...pi, imagePullPolicy: 'IfNotPresent', resources: {}, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' };
const jobPodSpec = { containers: [piDefaulted], dnsPolicy: 'ClusterFirst', restartPolicy: 'Never', schedulerName: 'default-scheduler', securityContext: {}, terminationGracePeriodSeconds: 30 };

test('Job: the docs pi job (selector and controller-uid labels come from the job strategy, not defaults)', () => {
  const out = defaulted({
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'pi' },
    spec: { backoffLimit: 4, template: { spec: { containers: [pi], restartPolicy: 'Never' } } },
  });
  assert.deepEqual(out.spec, {
    backoffLimit: 4,
    completionMode: 'NonIndexed',
    completions: 1,
    manualSelector: false,
    parallelism: 1,
    podReplacementPolicy: 'TerminatingOrFailed',
    suspend: false,
    template: { metadata: { creationTimestamp: null }, spec: jobPodSpec },
  });
});

test('Job: parallelism without completions, backoffLimitPerIndex, podFailurePolicy, labels from the template', () => {
  const out = defaulted({
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' },
    spec: {
      parallelism: 3, completionMode: 'Indexed', completions: 6, backoffLimitPerIndex: 1,
      podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] },
      template: { metadata: { labels: { app: 'j' } }, spec: { containers: [pi], restartPolicy: 'Never' } },
    },
  });
  const spec = out.spec as any;
  assert.equal(spec.parallelism, 3);
  assert.equal(spec.completions, 6);
  assert.equal(spec.backoffLimit, 2147483647);
  assert.equal(spec.podReplacementPolicy, 'Failed');
  assert.deepEqual(spec.podFailurePolicy.rules[0].onPodConditions, [{ type: 'DisruptionTarget', status: 'True' }]);
  assert.deepEqual(out.metadata.labels, { app: 'j' });
  const onlyParallel = defaulted({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { parallelism: 2, template: { spec: { containers: [pi] } } } });
  assert.equal((onlyParallel.spec as any).completions, undefined);
  assert.equal((onlyParallel.spec as any).backoffLimit, 6);
});

test('CronJob: kubectl create cronjob; the jobTemplate gets no Job-level defaults', () => {
  const out = defaulted({
    apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'tick' },
    spec: { schedule: '*/1 * * * *', jobTemplate: { metadata: { name: 'tick' }, spec: { template: { spec: { containers: [pi], restartPolicy: 'OnFailure' } } } } },
  });
  assert.deepEqual(out.spec, {
    concurrencyPolicy: 'Allow',
    failedJobsHistoryLimit: 1,
    jobTemplate: {
      metadata: { creationTimestamp: null, name: 'tick' },
      spec: { template: { metadata: { creationTimestamp: null }, spec: { ...jobPodSpec, restartPolicy: 'OnFailure' } } },
    },
    schedule: '*/1 * * * *',
    successfulJobsHistoryLimit: 3,
    suspend: false,
  });
});
