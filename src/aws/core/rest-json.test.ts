/** rest-json routing and encoding: per-segment decoding (ARNs in paths), body errors, error bodies. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RestJsonRouter, parseJsonBody, restJsonBody, restJsonErrorBody } from './rest-json.js';
import { AwsError, type RestJsonService } from './types.js';

const h = (): unknown => ({});
const svc: RestJsonService = {
  protocol: 'rest-json',
  signingName: 'eks',
  routes: [
    { method: 'GET', path: '/clusters', operation: 'ListClusters', handler: h },
    { method: 'GET', path: '/clusters/{name}', operation: 'DescribeCluster', handler: h },
    { method: 'GET', path: '/clusters/{name}/node-groups/{nodegroupName}', operation: 'DescribeNodegroup', handler: h },
    { method: 'GET', path: '/clusters/{name}/node-groups', operation: 'ListNodegroups', handler: h },
    { method: 'POST', path: '/clusters/{name}/access-entries/{principalArn}/access-policies', operation: 'AssociateAccessPolicy', handler: h },
    { method: 'DELETE', path: '/tags/{resourceArn}', operation: 'UntagResource', handler: h },
    { method: 'GET', path: '/addons/supported-versions', operation: 'DescribeAddonVersions', handler: h },
    { method: 'GET', path: '/addons/{name}', operation: 'Fake', handler: h },
    { method: 'GET', path: '/files/{key+}', operation: 'Greedy', handler: h },
  ],
};
const r = new RestJsonRouter(svc);

test('routes by method and template; labels are decoded per segment (ARNs stay one label)', () => {
  assert.equal(r.match('GET', '/clusters')?.route.operation, 'ListClusters');
  assert.equal(r.match('GET', '/clusters/')?.route.operation, 'ListClusters');
  assert.deepEqual(r.match('GET', '/clusters/demo'), { route: svc.routes[1], params: { name: 'demo' } });
  assert.deepEqual(r.match('GET', '/clusters/demo/node-groups/ng%201')?.params, { name: 'demo', nodegroupName: 'ng 1' });
  assert.equal(r.match('GET', '/clusters/demo/node-groups')?.route.operation, 'ListNodegroups');
  const m = r.match('POST', '/clusters/demo/access-entries/arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2FAdmin/access-policies');
  assert.deepEqual(m?.params, { name: 'demo', principalArn: 'arn:aws:iam::123456789012:role/Admin' });
  assert.deepEqual(r.match('DELETE', '/tags/arn%3Aaws%3Aeks%3Aeu-west-1%3A123456789012%3Acluster%2Fdemo')?.params, { resourceArn: 'arn:aws:eks:eu-west-1:123456789012:cluster/demo' });
  assert.equal(r.match('DELETE', '/tags/arn:aws:eks:eu-west-1:1:cluster/demo'), undefined, 'an unencoded / splits the label');
  assert.equal(r.match('GET', '/addons/supported-versions')?.route.operation, 'DescribeAddonVersions', 'literal beats label');
  assert.equal(r.match('GET', '/addons/vpc-cni')?.route.operation, 'Fake');
  assert.deepEqual(r.match('GET', '/files/a/b%2Fc')?.params, { key: 'a/b/c' });
  assert.equal(r.match('PUT', '/clusters/demo'), undefined);
  assert.equal(r.pathKnown('/clusters/demo'), true);
  assert.equal(r.match('GET', '/clusters/demo/extra/x'), undefined);
  assert.throws(() => r.match('GET', '/clusters/%E0%A4%A'), (e: unknown) => e instanceof AwsError && e.code === 'SerializationException');
});

test('bodies: empty → {}, objects parse, anything else is a 400 SerializationException', () => {
  assert.deepEqual(parseJsonBody(Buffer.alloc(0)), {});
  assert.deepEqual(parseJsonBody(Buffer.from(' \n')), {});
  assert.deepEqual(parseJsonBody(Buffer.from('{"name":"x"}')), { name: 'x' });
  for (const bad of ['{', '[1]', '"s"', 'null', '1']) {
    assert.throws(() => parseJsonBody(Buffer.from(bad)), (e: unknown) => e instanceof AwsError && e.code === 'SerializationException' && e.status === 400, bad);
  }
});

test('responses: Date → epoch seconds; errors are {message, ...fields}', () => {
  assert.equal(restJsonBody({ cluster: { createdAt: new Date(1565806986506), name: 'x' } }), '{"cluster":{"createdAt":1565806986.506,"name":"x"}}');
  assert.equal(restJsonBody(undefined), '{}');
  assert.equal(restJsonErrorBody(new AwsError('ResourceNotFoundException', 'No cluster found for name: foo.', 404, { clusterName: 'foo', message: 'ignored' })),
    '{"message":"No cluster found for name: foo.","clusterName":"foo"}');
});
