/** QueryParams over botocore-shaped parameters (bodies as awscli 1.45 sends them, aws-api-surface.md §1.3). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { queryParams } from './query-params.js';
import { AwsError } from './types.js';

test('query convention: .member.N lists, structs, maps, empty list, percent-decoding', () => {
  const p = queryParams('Action=CreateRole&Version=2010-05-08&RoleName=r&AssumeRolePolicyDocument=%7B%22a%22%3A1%7D'
    + '&Tags.member.2.Key=b&Tags.member.2.Value=2&Tags.member.1.Key=a&Tags.member.1.Value=1'
    + '&Filters.member.1.Name=tag%3Aeks%3Acluster-name&Filters.member.1.Values.member.1=demo&Filters.member.1.Values.member.2=x+y'
    + '&Names.member.10=ten&Names.member.2=two&Empty=&Attrs.entry.1.key=k1&Attrs.entry.1.value=v1&Attrs.entry.2.key=k2&Attrs.entry.2.value=v2', 'query');
  assert.equal(p.get('RoleName'), 'r');
  assert.equal(p.get('AssumeRolePolicyDocument'), '{"a":1}');
  assert.deepEqual(p.structs('Tags').map((t) => [t.get('Key'), t.get('Value')]), [['a', '1'], ['b', '2']]);
  const f = p.structs('Filters');
  assert.equal(f.length, 1);
  assert.equal(f[0].required('Name'), 'tag:eks:cluster-name');
  assert.deepEqual(f[0].list('Values'), ['demo', 'x y']);
  assert.deepEqual(p.list('Names'), ['two', 'ten'], 'numeric index order');
  assert.deepEqual(p.list('Empty'), []);
  assert.deepEqual(p.list('Missing'), []);
  assert.deepEqual(p.map('Attrs'), { k1: 'v1', k2: 'v2' });
  assert.equal(p.struct('Nope'), undefined);
  assert.deepEqual(p.struct('Filters')?.names().sort(), ['member.1.Name', 'member.1.Values.member.1', 'member.1.Values.member.2']);
  assert.ok(p.names().includes('Action'));
});

test('ec2 convention: Name.N lists and nested Filter.N.Value.N', () => {
  const p = queryParams('Action=DescribeInstances&Version=2016-11-15&InstanceId.1=i-1&InstanceId.2=i-2'
    + '&Filter.1.Name=tag%3Aeks%3Acluster-name&Filter.1.Value.1=demo&Filter.2.Name=instance-state-name&Filter.2.Value.1=running'
    + '&IpPermissions.1.IpProtocol=tcp&IpPermissions.1.FromPort=22&IpPermissions.1.IpRanges.1.CidrIp=0.0.0.0%2F0&DryRun=false', 'ec2');
  assert.deepEqual(p.list('InstanceId'), ['i-1', 'i-2']);
  assert.deepEqual(p.structs('Filter').map((f) => [f.get('Name'), f.list('Value')]), [['tag:eks:cluster-name', ['demo']], ['instance-state-name', ['running']]]);
  const perm = p.structs('IpPermissions')[0];
  assert.equal(perm.int('FromPort'), 22);
  assert.equal(perm.int('ToPort'), undefined);
  assert.deepEqual(perm.structs('IpRanges').map((r) => r.get('CidrIp')), ['0.0.0.0/0']);
  assert.equal(p.bool('DryRun'), false);
});

test('validation errors speak each protocol', () => {
  const q = queryParams('RoleName=&MaxItems=ten&Flag=yes', 'query');
  assert.throws(() => q.required('RoleName'), (e: unknown) => e instanceof AwsError && e.code === 'ValidationError' && e.status === 400
    && e.message === "1 validation error detected: Value null at 'roleName' failed to satisfy constraint: Member must not be null");
  assert.throws(() => q.int('MaxItems'), (e: unknown) => e instanceof AwsError && e.code === 'ValidationError' && /'maxItems'/.test(e.message));
  assert.throws(() => q.bool('Flag'), (e: unknown) => e instanceof AwsError && e.code === 'ValidationError');
  const e2 = queryParams('Filter.1.Value.1=x&MaxResults=1.5&DryRun=TRUE', 'ec2');
  assert.throws(() => e2.structs('Filter')[0].required('Name'), (e: unknown) => e instanceof AwsError && e.code === 'MissingParameter'
    && e.message === 'The request must contain the parameter Filter.1.Name');
  assert.throws(() => e2.int('MaxResults'), (e: unknown) => e instanceof AwsError && e.code === 'InvalidParameterValue' && /MaxResults/.test(e.message));
  assert.equal(e2.bool('DryRun'), true);
});
