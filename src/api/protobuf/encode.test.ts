/**
 * encodeProtobufObject: byte-identical to what kubectl 1.32 sends for the captured commands, and
 * symmetric with decodeProtobufObject for the apimachinery types with custom JSON.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeProtobufObject, ProtobufDecodeError } from './decode.js';
import { encodeProtobufObject } from './encode.js';
import { protobufKinds } from './schema.js';

const dir = join(dirname(fileURLToPath(import.meta.url)).replace(/[/\\]dist[/\\]src[/\\]/, '/src/'), 'testdata');
const captures = readdirSync(dir).filter((f) => f.endsWith('.pb')).map((f) => f.slice(0, -3)).sort();

type Obj = Record<string, unknown>;
const roundTrip = (apiVersion: string, kind: string, obj: Obj): Obj => decodeProtobufObject(encodeProtobufObject(apiVersion, kind, obj)).object;

for (const name of captures) {
  test(`encode ${name}: the JSON kubectl 1.31 sent encodes to the exact bytes kubectl 1.32 sent`, () => {
    const json = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as Obj;
    const bytes = Buffer.from(encodeProtobufObject(json.apiVersion as string, json.kind as string, json));
    assert.ok(bytes.equals(readFileSync(join(dir, `${name}.pb`))), `${name}: ${bytes.toString('hex')}`);
  });
}

test('the Eviction kubectl drain sends (as JSON) round-trips', () => {
  const eviction = JSON.parse(readFileSync(join(dir, 'drain.json'), 'utf8')) as Obj;
  assert.deepStrictEqual(roundTrip('policy/v1', 'Eviction', eviction), eviction);
});

test('Time, MicroTime, FieldsV1 and owner references round-trip through ObjectMeta', () => {
  const lease = {
    kind: 'Lease', apiVersion: 'coordination.k8s.io/v1',
    metadata: {
      name: 'l', namespace: 'kube-system', uid: 'u-1', resourceVersion: '42', generation: 3,
      creationTimestamp: '2024-01-02T03:04:05Z', deletionTimestamp: '2024-02-03T04:05:06Z', deletionGracePeriodSeconds: 0,
      labels: { b: '2', a: '1' },
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: 'n', uid: 'u-2', controller: true }], finalizers: ['x/y'],
      managedFields: [{ manager: 'kubectl', operation: 'Update', apiVersion: 'v1', time: '2024-01-02T03:04:05Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:holderIdentity': {} } } }],
    },
    spec: { holderIdentity: 'me', leaseDurationSeconds: 15, acquireTime: '2024-01-02T03:04:05.000001Z', renewTime: '2024-01-02T03:04:05.123456Z', leaseTransitions: 0 },
  };
  const got = roundTrip('coordination.k8s.io/v1', 'Lease', lease);
  // Go prints map keys sorted, so labels come back {a, b}.
  assert.equal(JSON.stringify(got), JSON.stringify({ ...lease, metadata: { ...lease.metadata, labels: { a: '1', b: '2' } } }));
});

test('RFC3339 input with an offset and fraction prints as UTC whole seconds (metav1.Time)', () => {
  const got = roundTrip('v1', 'Namespace', { metadata: { name: 'x', creationTimestamp: '2024-01-02T05:04:05.999+02:00' } }) as { metadata: Obj };
  assert.equal(got.metadata.creationTimestamp, '2024-01-02T03:04:05Z');
});

test('Pod: inline VolumeSource, IntOrString ports, Quantity maps, pointer bools', () => {
  const pod = {
    kind: 'Pod', apiVersion: 'v1', metadata: { name: 'p', creationTimestamp: null },
    spec: {
      volumes: [{ name: 'v', emptyDir: { sizeLimit: '1Gi' } }, { name: 's', secret: { secretName: 'x', defaultMode: 420 } }],
      containers: [{
        name: 'c', image: 'nginx', ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
        resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '250m' } },
        readinessProbe: { httpGet: { path: '/', port: 'http' }, periodSeconds: 5 },
        livenessProbe: { tcpSocket: { port: 80 } },
        securityContext: { privileged: false, runAsNonRoot: true },
      }],
      automountServiceAccountToken: false,
    },
    status: {},
  };
  assert.deepStrictEqual(roundTrip('v1', 'Pod', pod), pod);
});

test('ExtraValue maps, nullable slices and RawExtension', () => {
  const sar = {
    kind: 'SubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', metadata: { creationTimestamp: null },
    spec: { resourceAttributes: { verb: 'get', resource: 'pods' }, user: 'alice', groups: ['g'], extra: { empty: [], scopes: ['a', 'b'] }, uid: 'u' },
    status: { allowed: true },
  };
  assert.deepStrictEqual(roundTrip('authorization.k8s.io/v1', 'SubjectAccessReview', sar), sar);
  const rev = { kind: 'ControllerRevision', apiVersion: 'apps/v1', metadata: { name: 'r', creationTimestamp: null }, data: { spec: { a: [1, 'two', null] } }, revision: 2 };
  assert.deepStrictEqual(roundTrip('apps/v1', 'ControllerRevision', rev), rev);
  // Non-pointer RawExtension left empty prints null (RawExtension.MarshalJSON of nil Raw).
  assert.deepStrictEqual(roundTrip('apps/v1', 'ControllerRevision', { metadata: { name: 'r' }, revision: 1 }).data, null);
});

test('CSR: []byte fields are base64 in JSON', () => {
  const csr = {
    kind: 'CertificateSigningRequest', apiVersion: 'certificates.k8s.io/v1', metadata: { name: 'c', creationTimestamp: null },
    spec: { request: Buffer.from('-----BEGIN CERTIFICATE REQUEST-----').toString('base64'), signerName: 'kubernetes.io/kube-apiserver-client', expirationSeconds: 600, usages: ['client auth'] },
    status: {},
  };
  assert.deepStrictEqual(roundTrip('certificates.k8s.io/v1', 'CertificateSigningRequest', csr), csr);
});

test('every indexed kind encodes and decodes a minimal object', () => {
  let count = 0;
  for (const key of protobufKinds()) {
    const [apiVersion, kind] = key.split(' ') as [string, string];
    const got = decodeProtobufObject(encodeProtobufObject(apiVersion, kind, {}));
    assert.equal(got.kind, kind);
    assert.equal(got.object.apiVersion, apiVersion);
    count++;
  }
  assert.ok(count > 300, `only ${count} kinds`);
});

test('wrong JSON types are refused in encoding/json\'s words (innermost struct, path from the root, Go type)', () => {
  const msg = (apiVersion: string, kind: string, obj: Record<string, unknown>): string => {
    try { encodeProtobufObject(apiVersion, kind, obj); } catch (e) { assert.ok(e instanceof ProtobufDecodeError); return e.message; }
    return 'accepted';
  };
  assert.equal(msg('v1', 'Namespace', { metadata: { name: 5 } }), 'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.name of type string');
  assert.equal(msg('apps/v1', 'Deployment', { spec: { replicas: 'three' } }), 'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32');
  assert.equal(msg('apps/v1', 'Deployment', { spec: { replicas: 1.5 } }), 'json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32');
  assert.equal(msg('v1', 'Pod', { spec: { containers: [{ name: 'c', ports: [{ containerPort: '80' }] }] } }),
    'json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32');
  assert.equal(msg('v1', 'Service', { spec: { ports: { port: 80 } } }), 'json: cannot unmarshal object into Go struct field ServiceSpec.spec.ports of type []v1.ServicePort');
  assert.equal(msg('v1', 'ConfigMap', { data: { a: 1 } }), 'json: cannot unmarshal number into Go struct field ConfigMap.data of type string');
  assert.equal(msg('v1', 'Pod', { spec: { containers: 'c' } }), 'json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type []v1.Container');
  assert.equal(msg('v1', 'Pod', { spec: 'x' }), 'json: cannot unmarshal string into Go struct field Pod.spec of type v1.PodSpec');
  assert.equal(msg('v1', 'Pod', { spec: { hostNetwork: 'yes' } }), 'json: cannot unmarshal string into Go struct field PodSpec.spec.hostNetwork of type bool');
  assert.equal(msg('v1', 'Pod', { metadata: { creationTimestamp: 5 } }), 'json: cannot unmarshal number into Go value of type string');
  assert.throws(() => encodeProtobufObject('v1', 'Secret', { data: { k: 'not base64!' } }), ProtobufDecodeError);
  assert.throws(() => encodeProtobufObject('v1', 'Widget', {}), /no kind "Widget" is registered for version "v1"/);
});

test('fields whose JSON name differs from the proto name (Go struct tags)', () => {
  const token = {
    kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1', metadata: { creationTimestamp: null },
    spec: { audiences: ['a'], expirationSeconds: 600, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p', uid: 'u-1' } },
    status: { token: '', expirationTimestamp: null },
  };
  assert.deepStrictEqual(roundTrip('authentication.k8s.io/v1', 'TokenRequest', token), token);
  const hook = {
    kind: 'ValidatingWebhookConfiguration', apiVersion: 'admissionregistration.k8s.io/v1', metadata: { name: 'w', creationTimestamp: null },
    webhooks: [{ name: 'w.example.com', clientConfig: { url: 'https://x' }, sideEffects: 'None', admissionReviewVersions: ['v1'] }],
  };
  assert.deepStrictEqual(roundTrip('admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration', hook), hook);
});
