// The real kubectl's generators (`run`, `create deployment|job|cronjob|service`, which send
// protobuf bodies) against keks: `kubectl get -o yaml` shows the spec a kube-apiserver 1.32
// shows, field by field (status, admission-added fields and allocated service IPs excluded).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse as parseYaml } from 'yaml';
import { startTestKeks, type TestKeks } from '../../src/testing/harness.js';
import { Kubectl, kubectlSkip } from '../helpers/kubectl.js';

const NS = 'defaults-e2e';
const nginx = (name: string, pullPolicy = 'Always', image = 'nginx') => ({
  image, imagePullPolicy: pullPolicy, name, resources: {},
  terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File',
});
const podSpecDefaults = { dnsPolicy: 'ClusterFirst', restartPolicy: 'Always', schedulerName: 'default-scheduler', securityContext: {}, terminationGracePeriodSeconds: 30 };

describe('kubectl get -o yaml shows the 1.32 defaults', { skip: kubectlSkip }, () => {
  let tk: TestKeks;
  let k: Kubectl;

  before(async () => {
    tk = await startTestKeks({ store: 'memory' });
    k = new Kubectl(tk.kubeconfig);
    await k.ok(['create', 'namespace', NS]);
  });
  after(async () => {
    k?.dispose();
    await tk?.stop();
  });

  async function specOf(resource: string, name: string): Promise<Record<string, any>> {
    const obj = parseYaml(await k.ok(['get', resource, name, '-n', NS, '-o', 'yaml'])) as Record<string, any>;
    return obj.spec;
  }

  it('kubectl run web --image=nginx', async () => {
    await k.ok(['run', 'web', '--image=nginx', '-n', NS]);
    // Pods also get the DefaultTolerationSeconds admission's two 300 s tolerations and the Priority
    // admission's priority 0 / PreemptLowerPriority (no globalDefault class), as on a real cluster.
    assert.deepEqual(await specOf('pod', 'web'), {
      containers: [nginx('web')], enableServiceLinks: true, ...podSpecDefaults, priority: 0, preemptionPolicy: 'PreemptLowerPriority',
      tolerations: ['not-ready', 'unreachable'].map((r) => ({ key: `node.kubernetes.io/${r}`, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 })),
    });
  });

  it('kubectl create deployment web --image=nginx:1.27', async () => {
    await k.ok(['create', 'deployment', 'web', '--image=nginx:1.27', '-n', NS]);
    assert.deepEqual(await specOf('deployment', 'web'), {
      progressDeadlineSeconds: 600,
      replicas: 1,
      revisionHistoryLimit: 10,
      selector: { matchLabels: { app: 'web' } },
      strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' }, type: 'RollingUpdate' },
      template: {
        metadata: { creationTimestamp: null, labels: { app: 'web' } },
        spec: { containers: [nginx('nginx', 'IfNotPresent', 'nginx:1.27')], ...podSpecDefaults },
      },
    });
  });

  it('kubectl create job pi --image=perl:5.34.0', async () => {
    await k.ok(['create', 'job', 'pi', '--image=perl:5.34.0', '-n', NS]);
    const { selector: _selector, template, ...spec } = await specOf('job', 'pi');
    assert.deepEqual(spec, {
      backoffLimit: 6, completionMode: 'NonIndexed', completions: 1, manualSelector: false,
      parallelism: 1, podReplacementPolicy: 'TerminatingOrFailed', suspend: false,
    });
    assert.deepEqual(template.spec, { containers: [nginx('pi', 'IfNotPresent', 'perl:5.34.0')], ...podSpecDefaults, restartPolicy: 'Never' });
  });

  it('kubectl create cronjob tick --image=busybox --schedule', async () => {
    await k.ok(['create', 'cronjob', 'tick', '--image=busybox', '--schedule=*/5 * * * *', '-n', NS]);
    assert.deepEqual(await specOf('cronjob', 'tick'), {
      concurrencyPolicy: 'Allow',
      failedJobsHistoryLimit: 1,
      jobTemplate: {
        metadata: { creationTimestamp: null, name: 'tick' },
        spec: { template: { metadata: { creationTimestamp: null }, spec: { containers: [nginx('tick', 'Always', 'busybox')], ...podSpecDefaults, restartPolicy: 'OnFailure' } } },
      },
      schedule: '*/5 * * * *',
      successfulJobsHistoryLimit: 3,
      suspend: false,
    });
  });

  it('kubectl create service nodeport web --tcp=80:8080', async () => {
    await k.ok(['create', 'service', 'nodeport', 'web', '--tcp=80:8080', '-n', NS]);
    const spec = await specOf('service', 'web');
    for (const allocated of ['clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy']) delete spec[allocated];
    for (const p of spec.ports) delete p.nodePort;
    assert.deepEqual(spec, {
      externalTrafficPolicy: 'Cluster',
      internalTrafficPolicy: 'Cluster',
      ports: [{ name: '80-8080', port: 80, protocol: 'TCP', targetPort: 8080 }],
      selector: { app: 'web' },
      sessionAffinity: 'None',
      type: 'NodePort',
    });
  });
});
