import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { invalid } from '../../apimachinery/errors.js';
import { validatorsFor } from './index.js';

function msg(group: string, resource: string, kind: string, obj: KubeObject, old?: KubeObject): string {
  const v = validatorsFor(group, resource);
  const errs = old ? v.validateUpdate!(obj, old) : v.validate!(obj);
  return errs.length ? invalid({ group, kind }, obj.metadata.name ?? '', errs).message : '';
}

const podSpec = () => ({
  containers: [{ name: 'web', image: 'nginx', imagePullPolicy: 'Always', terminationMessagePolicy: 'File', ports: [{ containerPort: 80, protocol: 'TCP' }] }],
  restartPolicy: 'Always', dnsPolicy: 'ClusterFirst',
});

function deployment(over: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas: 1, selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: podSpec() },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      revisionHistoryLimit: 10, progressDeadlineSeconds: 600, ...over,
    },
  };
}

test('a valid defaulted Deployment passes', () => {
  assert.equal(msg('apps', 'deployments', 'Deployment', deployment()), '');
});

test('Deployment selector must match template labels (Go map rendering)', () => {
  const d = deployment({ selector: { matchLabels: { app: 'other' } } });
  assert.equal(msg('apps', 'deployments', 'Deployment', d),
    'Deployment.apps "web" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`');
});

test('Deployment without selector: required plus mismatch, as upstream', () => {
  const d = deployment({ selector: undefined });
  assert.equal(msg('apps', 'deployments', 'Deployment', d),
    'Deployment.apps "web" is invalid: [spec.selector: Required value, spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`]');
});

test('Deployment selector is immutable on update (v1.LabelSelector rendering)', () => {
  const old = deployment();
  const d = deployment({ selector: { matchLabels: { app: 'web', tier: 'x' } }, template: { metadata: { labels: { app: 'web', tier: 'x' } }, spec: podSpec() } });
  assert.equal(msg('apps', 'deployments', 'Deployment', d, old),
    'Deployment.apps "web" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web", "tier":"x"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable');
});

test('Deployment replicas, strategy and progress deadline rules', () => {
  assert.match(msg('apps', 'deployments', 'Deployment', deployment({ replicas: -1 })), /spec\.replicas: Invalid value: -1: must be greater than or equal to 0/);
  assert.match(msg('apps', 'deployments', 'Deployment', deployment({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } } })),
    /spec\.strategy\.rollingUpdate\.maxUnavailable: Invalid value: intstr\.IntOrString\{Type:0, IntVal:0, StrVal:""\}: may not be 0 when `maxSurge` is 0/);
  assert.match(msg('apps', 'deployments', 'Deployment', deployment({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 'x', maxUnavailable: 1 } } })),
    /maxSurge: Invalid value: intstr\.IntOrString\{Type:1, IntVal:0, StrVal:"x"\}: a valid percent string must be a numeric string followed by an ending '%'/);
  assert.match(msg('apps', 'deployments', 'Deployment', deployment({ strategy: { type: 'Recreate', rollingUpdate: {} } })),
    /spec\.strategy\.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'/);
  assert.match(msg('apps', 'deployments', 'Deployment', deployment({ minReadySeconds: 10, progressDeadlineSeconds: 10 })),
    /spec\.progressDeadlineSeconds: Invalid value: 10: must be greater than minReadySeconds/);
  const bad = deployment();
  (bad.spec as { template: { spec: { restartPolicy: string } } }).template.spec.restartPolicy = 'Never';
  assert.match(msg('apps', 'deployments', 'Deployment', bad), /spec\.template\.spec\.restartPolicy: Unsupported value: "Never": supported values: "Always"/);
});

test('StatefulSet updates outside the mutable fields are forbidden', () => {
  const sts = (serviceName: string): KubeObject => ({
    apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'default' },
    spec: { replicas: 1, serviceName, selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec: podSpec() }, podManagementPolicy: 'OrderedReady', updateStrategy: { type: 'RollingUpdate' } },
  });
  assert.equal(msg('apps', 'statefulsets', 'StatefulSet', sts('a'), sts('a')), '');
  assert.equal(msg('apps', 'statefulsets', 'StatefulSet', sts('b'), sts('a')),
    "StatefulSet.apps \"db\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden");
});

function job(rp: string | undefined): KubeObject {
  const spec: Record<string, unknown> = { containers: [{ name: 'pi', image: 'perl' }] };
  if (rp !== undefined) spec.restartPolicy = rp;
  return { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'pi', namespace: 'default' }, spec: { template: { spec }, backoffLimit: 6 } };
}

test('Job restartPolicy must be OnFailure or Never', () => {
  assert.equal(msg('batch', 'jobs', 'Job', job('Never')), '');
  assert.equal(msg('batch', 'jobs', 'Job', job('Always')), 'Job.batch "pi" is invalid: spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"');
  assert.match(msg('batch', 'jobs', 'Job', { ...job('Never'), spec: { ...(job('Never').spec as object), completionMode: 'Indexed' } }), /spec\.completions: Required value: when completion mode is Indexed/);
});

test('Job template is immutable', () => {
  const old = job('Never');
  const j = job('OnFailure');
  assert.match(msg('batch', 'jobs', 'Job', j, old), /^Job\.batch "pi" is invalid: spec\.template: Invalid value: core\.PodTemplateSpec\{.*\}: field is immutable$/);
});

function cron(schedule: string, name = 'hello', tz?: string): KubeObject {
  return {
    apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name, namespace: 'default' },
    spec: { schedule, timeZone: tz, concurrencyPolicy: 'Allow', jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox' }], restartPolicy: 'OnFailure' } } } } },
  };
}

test('CronJob schedule, timeZone and name length', () => {
  assert.equal(msg('batch', 'cronjobs', 'CronJob', cron('*/5 * * * *')), '');
  assert.equal(msg('batch', 'cronjobs', 'CronJob', cron('@hourly')), '');
  assert.equal(msg('batch', 'cronjobs', 'CronJob', cron('x')), 'CronJob.batch "hello" is invalid: spec.schedule: Invalid value: "x": expected exactly 5 fields, found 1: [x]');
  assert.match(msg('batch', 'cronjobs', 'CronJob', cron('0 25 * * *')), /spec\.schedule: Invalid value: "0 25 \* \* \*": end of range \(25\) above maximum \(23\): 25/);
  assert.match(msg('batch', 'cronjobs', 'CronJob', cron('a * * * *')), /failed to parse int from a: strconv\.Atoi: parsing "a": invalid syntax/);
  assert.match(msg('batch', 'cronjobs', 'CronJob', cron('0 * * * *', 'hello', 'Mars/Olympus')), /spec\.timeZone: Invalid value: "Mars\/Olympus": unknown time zone Mars\/Olympus/);
  assert.equal(msg('batch', 'cronjobs', 'CronJob', cron('0 * * * *', 'hello', 'Europe/Berlin')), '');
  assert.match(msg('batch', 'cronjobs', 'CronJob', cron('0 * * * *', 'a'.repeat(53))), /metadata\.name: Invalid value: "a{53}": must be no more than 52 characters/);
  assert.match(msg('batch', 'cronjobs', 'CronJob', cron('TZ=UTC 0 * * * *')), /cannot use TZ or CRON_TZ in schedule, use timeZone field instead/);
});
