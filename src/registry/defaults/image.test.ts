import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultPullPolicy, imageTag } from './image.js';

test('imageTag follows ParseImageName: no tag and no digest is latest', () => {
  assert.equal(imageTag('nginx'), 'latest');
  assert.equal(imageTag('nginx:1.27'), '1.27');
  assert.equal(imageTag('nginx:latest'), 'latest');
  assert.equal(imageTag('localhost:5000/team/app'), 'latest');
  assert.equal(imageTag('localhost:5000/team/app:v2'), 'v2');
  assert.equal(imageTag('public.ecr.aws/eks/aws-load-balancer-controller:v2.7.1'), 'v2.7.1');
  assert.equal(imageTag(`busybox@sha256:${'a'.repeat(64)}`), '');
  assert.equal(imageTag(`busybox:1.36@sha256:${'a'.repeat(64)}`), '1.36');
});

test('imageTag of an unparsable reference is empty', () => {
  assert.equal(imageTag('Nginx'), '');
  assert.equal(imageTag(''), '');
  assert.equal(imageTag('a'.repeat(64).replace(/a/g, 'f')), '');
  assert.equal(imageTag('nginx:'), '');
});

test('defaultPullPolicy: Always only for latest', () => {
  assert.equal(defaultPullPolicy('nginx'), 'Always');
  assert.equal(defaultPullPolicy('nginx:latest'), 'Always');
  assert.equal(defaultPullPolicy('nginx:1.27'), 'IfNotPresent');
  assert.equal(defaultPullPolicy(`nginx@sha256:${'0'.repeat(64)}`), 'IfNotPresent');
  assert.equal(defaultPullPolicy(undefined), 'IfNotPresent');
});
