/**
 * EKS Fargate placement in a real in-process keks (no EC2 nodes): a pod that admission sent to
 * the fargate-scheduler gets its own `fargate-ip-…` Node (compute-type label, NoSchedule taint,
 * one pod), runs there with the node's IP, and the Node goes away with the pod; a pod for the
 * default scheduler never lands on a Fargate node.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestKeks, type TestKeks } from '../../src/testing/harness.js';
import type { ApiClient, ResourceRef } from '../../src/client/client.js';
import type { KubeObject } from '../../src/api/types.js';
import { fargateScheduler } from '../../src/admission/fargate-scheduler.js';
import type { AdmissionAttributes } from '../../src/admission/types.js';
import { eventually } from '../helpers/api.js';

const PODS: ResourceRef = { group: '', version: 'v1', resource: 'pods', namespaced: true };
const NODES: ResourceRef = { group: '', version: 'v1', resource: 'nodes', namespaced: false };

let k: TestKeks;
let client: ApiClient;

const admission = fargateScheduler({ profilesFor: () => [{ name: 'fp-serverless', selectors: [{ namespace: 'default', labels: { compute: 'fargate' } }] }] });

/** The pod as the API server's admission chain leaves it (the composition root wires the plugin into EKS clusters). */
function admitted(name: string, labels: Record<string, string>, extra: Record<string, unknown> = {}): KubeObject {
  const pod: KubeObject = {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels, annotations: { 'keks.dev/stop-time': '0s' } },
    spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '500m', memory: '1Gi' } } }], terminationGracePeriodSeconds: 1, ...extra },
  };
  const attrs: AdmissionAttributes = {
    operation: 'CREATE', group: '', version: 'v1', resource: 'pods', subresource: '', kind: 'Pod', namespace: 'default', name,
    object: pod, oldObject: null, user: { username: 'u', groups: [] }, dryRun: false,
  };
  void admission.mutate?.(attrs);
  return pod;
}

const fargateNodes = async (): Promise<KubeObject[]> => (await client.list(NODES, '', { labelSelector: 'eks.amazonaws.com/compute-type=fargate' })).items;

before(async () => {
  k = await startTestKeks({ store: 'memory', nodes: 0 });
  client = k.cluster.client;
});
after(async () => { await k?.stop(); });

test('a matching pod gets its own fargate node, runs with the node IP, and the node goes with the pod', async () => {
  const pod = admitted('web', { compute: 'fargate' });
  assert.equal((pod.spec as { schedulerName: string }).schedulerName, 'fargate-scheduler');
  await client.create(PODS, 'default', pod);
  const running = await eventually(async () => {
    const p = await client.get(PODS, 'default', 'web');
    return (p.status as { phase?: string }).phase === 'Running' ? p : undefined;
  }, 'fargate pod Running', 15_000);
  const nodeName = (running.spec as { nodeName: string }).nodeName;
  assert.match(nodeName, /^fargate-ip-192-168-\d+-\d+\.ec2\.internal$/); // the harness cluster is in us-east-1
  assert.equal(running.metadata.annotations?.['eks.amazonaws.com/fargate-profile'], 'fp-serverless');
  assert.equal(running.metadata.annotations?.CapacityProvisioned, '0.5vCPU 2GB');
  const node = await client.get(NODES, '', nodeName);
  assert.equal(node.metadata.labels?.['eks.amazonaws.com/compute-type'], 'fargate');
  assert.deepEqual((node.spec as { taints: unknown[] }).taints, [{ key: 'eks.amazonaws.com/compute-type', value: 'fargate', effect: 'NoSchedule' }]);
  assert.equal((node.status as { capacity: Record<string, string> }).capacity.pods, '1');
  const nodeIp = (node.status as { addresses: Array<{ type: string; address: string }> }).addresses.find((a) => a.type === 'InternalIP')?.address;
  assert.equal((running.status as { podIP: string }).podIP, nodeIp);
  await eventually(async () => {
    const n = await client.get(NODES, '', nodeName);
    return (n.status as { conditions: Array<{ type: string; status: string }> }).conditions.find((c) => c.type === 'Ready')?.status === 'True';
  }, 'fargate node Ready');

  // A second matching pod gets a second node: one pod per node.
  await client.create(PODS, 'default', admitted('web2', { compute: 'fargate' }));
  const second = await eventually(async () => ((await client.get(PODS, 'default', 'web2')).spec as { nodeName?: string }).nodeName, 'web2 bound', 15_000);
  assert.notEqual(second, nodeName);
  assert.equal((await fargateNodes()).length, 2);

  await client.delete(PODS, 'default', 'web', { gracePeriodSeconds: 0 });
  await eventually(async () => !(await fargateNodes()).some((n) => n.metadata.name === nodeName), 'fargate node deleted with its pod', 15_000);
  await client.delete(PODS, 'default', 'web2', { gracePeriodSeconds: 0 });
  await eventually(async () => (await fargateNodes()).length === 0, 'all fargate nodes gone', 15_000);
});

test('a non-matching pod never lands on a fargate node (the taint keeps it off)', async () => {
  await client.create(PODS, 'default', admitted('fg', { compute: 'fargate' }));
  await eventually(async () => (await fargateNodes()).length === 1, 'fargate node for fg', 15_000);
  const plain = admitted('plain', { compute: 'ec2' });
  assert.equal((plain.spec as { schedulerName?: string }).schedulerName, undefined);
  await client.create(PODS, 'default', plain);
  const pending = await eventually(async () => {
    const p = await client.get(PODS, 'default', 'plain');
    const cond = ((p.status as { conditions?: Array<{ type: string; status: string; message?: string }> }).conditions ?? []).find((c) => c.type === 'PodScheduled');
    return cond?.status === 'False' ? cond : undefined;
  }, 'plain pod unschedulable', 15_000);
  assert.match(pending.message ?? '', /untolerated taint.*eks\.amazonaws\.com\/compute-type: fargate/);
  assert.equal(((await client.get(PODS, 'default', 'plain')).spec as { nodeName?: string }).nodeName, undefined);
  await client.delete(PODS, 'default', 'plain', { gracePeriodSeconds: 0 });
  await client.delete(PODS, 'default', 'fg', { gracePeriodSeconds: 0 });
});
