import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AwsPrincipal } from '../../core/types.js';
import { trustAllows, wildcardMatch } from './trust-policy.js';

const A = '000000000000';
const root: AwsPrincipal = { accountId: A, arn: `arn:aws:iam::${A}:root`, userId: A, type: 'root' };
const user: AwsPrincipal = { accountId: A, arn: `arn:aws:iam::${A}:user/dev`, userId: 'AIDAX', type: 'user', userName: 'dev' };
const session: AwsPrincipal = {
  accountId: A, arn: `arn:aws:sts::${A}:assumed-role/ops/s`, userId: 'AROAX:s', type: 'assumed-role', roleArn: `arn:aws:iam::${A}:role/team/ops`, sessionName: 's',
};
const doc = (...Statement: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement });

test('wildcardMatch: * and ?, case-insensitive', () => {
  assert.equal(wildcardMatch('sts:*', 'sts:AssumeRole'), true);
  assert.equal(wildcardMatch('STS:assumerole', 'sts:AssumeRole'), true);
  assert.equal(wildcardMatch('sts:Assume?ole', 'sts:AssumeRole'), true);
  assert.equal(wildcardMatch('sts:AssumeRoleWith*', 'sts:AssumeRole'), false);
});

test('account principals admit every identity of the account; other accounts are refused', () => {
  for (const p of [A, `arn:aws:iam::${A}:root`]) {
    const d = doc({ Effect: 'Allow', Principal: { AWS: p }, Action: 'sts:AssumeRole' });
    for (const who of [root, user, session]) assert.equal(trustAllows(d, { kind: 'aws', principal: who }, 'sts:AssumeRole'), true);
  }
  assert.equal(trustAllows(doc({ Effect: 'Allow', Principal: { AWS: '111111111111' }, Action: 'sts:AssumeRole' }), { kind: 'aws', principal: root }, 'sts:AssumeRole'), false);
});

test('user and role principals match exactly (a session matches its role, path or not)', () => {
  const d = doc({ Effect: 'Allow', Principal: { AWS: [`arn:aws:iam::${A}:user/dev`, `arn:aws:iam::${A}:role/ops`] }, Action: 'sts:AssumeRole' });
  assert.equal(trustAllows(d, { kind: 'aws', principal: user }, 'sts:AssumeRole'), true);
  assert.equal(trustAllows(d, { kind: 'aws', principal: session }, 'sts:AssumeRole'), true);
  assert.equal(trustAllows(d, { kind: 'aws', principal: root }, 'sts:AssumeRole'), false);
});

test('service principals, wrong actions, "*" principal, explicit Deny, NotAction, invalid JSON', () => {
  const svc = doc({ Effect: 'Allow', Principal: { Service: 'eks.amazonaws.com' }, Action: 'sts:AssumeRole' });
  assert.equal(trustAllows(svc, { kind: 'aws', principal: root }, 'sts:AssumeRole'), false);
  const star = doc({ Effect: 'Allow', Principal: '*', Action: ['sts:AssumeRole', 'sts:TagSession'] });
  assert.equal(trustAllows(star, { kind: 'aws', principal: user }, 'sts:AssumeRole'), true);
  assert.equal(trustAllows(star, { kind: 'aws', principal: user }, 'sts:AssumeRoleWithWebIdentity'), false);
  const denied = doc({ Effect: 'Allow', Principal: { AWS: A }, Action: 'sts:*' }, { Effect: 'Deny', Principal: { AWS: `arn:aws:iam::${A}:user/dev` }, Action: 'sts:AssumeRole' });
  assert.equal(trustAllows(denied, { kind: 'aws', principal: user }, 'sts:AssumeRole'), false);
  assert.equal(trustAllows(denied, { kind: 'aws', principal: root }, 'sts:AssumeRole'), true);
  const notAction = doc({ Effect: 'Allow', Principal: { AWS: A }, NotAction: 'sts:TagSession' });
  assert.equal(trustAllows(notAction, { kind: 'aws', principal: root }, 'sts:AssumeRole'), true);
  assert.equal(trustAllows('{oops', { kind: 'aws', principal: root }, 'sts:AssumeRole'), false);
  const single = JSON.stringify({ Statement: { Effect: 'Allow', Principal: { AWS: A }, Action: 'sts:AssumeRole' } });
  assert.equal(trustAllows(single, { kind: 'aws', principal: root }, 'sts:AssumeRole'), true);
});

test('federated principals match the provider ARN; conditions are not evaluated', () => {
  const arn = `arn:aws:iam::${A}:oidc-provider/oidc.example.com/id/1`;
  const d = doc({ Effect: 'Allow', Principal: { Federated: arn }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { 'x:sub': 'nobody' } } });
  assert.equal(trustAllows(d, { kind: 'federated', providerArn: arn }, 'sts:AssumeRoleWithWebIdentity'), true);
  assert.equal(trustAllows(d, { kind: 'federated', providerArn: `${arn}x` }, 'sts:AssumeRoleWithWebIdentity'), false);
  assert.equal(trustAllows(d, { kind: 'federated', providerArn: arn }, 'sts:AssumeRole'), false);
});
