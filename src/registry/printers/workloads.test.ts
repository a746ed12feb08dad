import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import type { TablePrinter } from './types.js';
import { controllerRevisionPrinter, daemonSetPrinter, deploymentPrinter, replicaSetPrinter, statefulSetPrinter } from './apps.js';
import { cronJobPrinter, jobPrinter } from './batch.js';
import { horizontalPodAutoscalerPrinter } from './autoscaling.js';

const ctx = { now: new Date('2024-06-01T12:00:00Z') };
const meta = (name: string, extra: Record<string, unknown> = {}) => ({ name, namespace: 'default', creationTimestamp: '2024-06-01T11:00:00Z', ...extra });
const row = (p: TablePrinter, o: Record<string, unknown>) => p.cells(o as KubeObject, ctx);
const names = (p: TablePrinter) => p.columns.map((c) => `${c.name}:${c.type}${c.priority ? '*' : ''}`);
const template = { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }, { name: 'log', image: 'fluent-bit:3' }] } };

test('deployment mid-rollout', () => {
  assert.deepEqual(names(deploymentPrinter), ['Name:string', 'Ready:string', 'Up-to-date:string', 'Available:string', 'Age:string', 'Containers:string*', 'Images:string*', 'Selector:string*']);
  const d = { metadata: meta('web', { generation: 3 }), spec: { replicas: 4, selector: { matchLabels: { app: 'web' } }, template },
    status: { replicas: 5, updatedReplicas: 2, readyReplicas: 3, availableReplicas: 3, unavailableReplicas: 2 } };
  assert.deepEqual(row(deploymentPrinter, d), ['web', '3/4', 2, 3, '60m', 'web,log', 'nginx:1.27,fluent-bit:3', 'app=web']);
  assert.deepEqual(row(deploymentPrinter, { metadata: meta('new'), spec: { template } }).slice(1, 4), ['0/1', 0, 0]);
});

test('replicasets, statefulsets, daemonsets, controllerrevisions', () => {
  const rs = { metadata: meta('web-5d8f7c'), spec: { replicas: 3, selector: { matchLabels: { app: 'web', 'pod-template-hash': '5d8f7c' } }, template }, status: { replicas: 3, readyReplicas: 1 } };
  assert.deepEqual(row(replicaSetPrinter, rs), ['web-5d8f7c', 3, 3, 1, '60m', 'web,log', 'nginx:1.27,fluent-bit:3', 'app=web,pod-template-hash=5d8f7c']);
  assert.deepEqual(names(statefulSetPrinter), ['Name:string', 'Ready:string', 'Age:string', 'Containers:string*', 'Images:string*']);
  assert.deepEqual(row(statefulSetPrinter, { metadata: meta('db'), spec: { replicas: 3, template }, status: { readyReplicas: 2 } }), ['db', '2/3', '60m', 'web,log', 'nginx:1.27,fluent-bit:3']);
  const ds = { metadata: meta('aws-node'), spec: { selector: { matchLabels: { 'k8s-app': 'aws-node' } }, template: { spec: { nodeSelector: { 'kubernetes.io/os': 'linux' }, containers: [{ name: 'aws-node', image: 'amazon-k8s-cni:v1.19.2' }] } } },
    status: { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 2, updatedNumberScheduled: 3, numberAvailable: 2 } };
  assert.deepEqual(row(daemonSetPrinter, ds), ['aws-node', 3, 3, 2, 3, 2, 'kubernetes.io/os=linux', '60m', 'aws-node', 'amazon-k8s-cni:v1.19.2', 'k8s-app=aws-node']);
  const cr = { metadata: meta('aws-node-6b9c', { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'aws-node', uid: 'u', controller: true }] }), revision: 2 };
  assert.deepEqual(row(controllerRevisionPrinter, cr), ['aws-node-6b9c', 'daemonset.apps/aws-node', 2, '60m']);
  assert.equal(row(controllerRevisionPrinter, { metadata: meta('orphan'), revision: 1 })[1], '<none>');
});

test('jobs: completed, running with parallelism, failed, suspended', () => {
  assert.deepEqual(names(jobPrinter), ['Name:string', 'Status:string', 'Completions:string', 'Duration:string', 'Age:string', 'Containers:string*', 'Images:string*', 'Selector:string*']);
  const jobTemplate = { spec: { containers: [{ name: 'pi', image: 'perl:5.34' }] } };
  const selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': '8a3f' } };
  const done = { metadata: meta('pi'), spec: { completions: 1, parallelism: 1, selector, template: jobTemplate },
    status: { succeeded: 1, startTime: '2024-06-01T11:00:02Z', completionTime: '2024-06-01T11:00:39Z', conditions: [{ type: 'SuccessCriteriaMet', status: 'True' }, { type: 'Complete', status: 'True' }] } };
  assert.deepEqual(row(jobPrinter, done), ['pi', 'Complete', '1/1', '37s', '60m', 'pi', 'perl:5.34', 'batch.kubernetes.io/controller-uid=8a3f']);
  const workQueue = { metadata: meta('queue'), spec: { parallelism: 3, template: jobTemplate }, status: { succeeded: 0, startTime: '2024-06-01T11:50:00Z', active: 3 } };
  assert.deepEqual(row(jobPrinter, workQueue).slice(1, 4), ['Running', '0/1 of 3', '10m']);
  const failed = { metadata: meta('f'), spec: { completions: 2 }, status: { conditions: [{ type: 'FailureTarget', status: 'True' }, { type: 'Failed', status: 'True' }] } };
  assert.deepEqual(row(jobPrinter, failed).slice(1, 4), ['Failed', '0/2', '']);
  const suspended = { metadata: meta('s', { deletionTimestamp: '2024-06-01T11:59:00Z' }), spec: { completions: 1 }, status: { conditions: [{ type: 'Suspended', status: 'True' }] } };
  assert.equal(row(jobPrinter, suspended)[1], 'Terminating');
});

test('cronjobs', () => {
  assert.deepEqual(names(cronJobPrinter), ['Name:string', 'Schedule:string', 'Timezone:string', 'Suspend:boolean', 'Active:integer', 'Last Schedule:string', 'Age:string', 'Containers:string*', 'Images:string*', 'Selector:string*']);
  const cj = { metadata: meta('backup', { creationTimestamp: '2024-05-20T12:00:00Z' }), spec: { schedule: '*/5 * * * *', suspend: false, jobTemplate: { spec: { template: { spec: { containers: [{ name: 'b', image: 'backup:2' }] } } } } },
    status: { active: [{ kind: 'Job', name: 'backup-28620715' }], lastScheduleTime: '2024-06-01T11:55:00Z' } };
  assert.deepEqual(row(cronJobPrinter, cj), ['backup', '*/5 * * * *', '<none>', 'False', 1, '5m', '12d', 'b', 'backup:2', '<none>']);
  const never = { metadata: meta('tz'), spec: { schedule: '0 3 * * *', timeZone: 'Etc/UTC', suspend: true, jobTemplate: { spec: {} } }, status: {} };
  assert.deepEqual(row(cronJobPrinter, never).slice(1, 6), ['0 3 * * *', 'Etc/UTC', 'True', 0, '<none>']);
});

test('hpa targets for autoscaling/v2 and autoscaling/v1 objects', () => {
  assert.deepEqual(names(horizontalPodAutoscalerPrinter), ['Name:string', 'Reference:string', 'Targets:string', 'MinPods:string', 'MaxPods:string', 'Replicas:string', 'Age:string']);
  const v2 = { apiVersion: 'autoscaling/v2', metadata: meta('web'),
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 10,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } },
        { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } } },
        { type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '100' } } },
      ] },
    status: { currentReplicas: 3, desiredReplicas: 3, currentMetrics: [
      { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 50, averageValue: '120m' } } },
      { type: 'Resource', resource: { name: 'memory', current: { averageValue: '300Mi' } } },
    ] } };
  assert.deepEqual(row(horizontalPodAutoscalerPrinter, v2), ['web', 'Deployment/web', 'cpu: 50%/80%, memory: 300Mi/500Mi + 1 more...', '2', 10, 3, '60m']);
  const fresh = { apiVersion: 'autoscaling/v2', metadata: meta('new'), spec: { scaleTargetRef: { kind: 'Deployment', name: 'api' }, maxReplicas: 5,
    metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }, { type: 'External', external: { metric: { name: 'sqs' }, target: { type: 'AverageValue', averageValue: '30' } } }] }, status: {} };
  assert.deepEqual(row(horizontalPodAutoscalerPrinter, fresh).slice(2, 6), ['cpu: <unknown>/70%, <unknown>/30 (avg)', '<unset>', 5, 0]);
  const v1 = { apiVersion: 'autoscaling/v1', metadata: meta('v1'), spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 4, targetCPUUtilizationPercentage: 60 }, status: { currentReplicas: 2, currentCPUUtilizationPercentage: 35 } };
  assert.equal(row(horizontalPodAutoscalerPrinter, v1)[2], 'cpu: 35%/60%');
  const v1NoTarget = { apiVersion: 'autoscaling/v1', metadata: meta('v1b'), spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 4 }, status: { currentReplicas: 0 } };
  assert.equal(row(horizontalPodAutoscalerPrinter, v1NoTarget)[2], 'cpu: <unknown>/80%');
});
