/** The request pipeline without a socket: routing by credential scope + Version, auth, envelopes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../util/clock.js';
import { rootAccessKey, staticCredentials } from './credentials.js';
import { AwsDispatcher, type AwsHttpRequest } from './dispatch.js';
import { signRequest, type SigningCredentials } from './sigv4-sign.js';
import { AwsError, type AwsService } from './types.js';

const clock = new FakeClock(Date.UTC(2026, 10, 22, 9, 0, 0));
const ROOT: SigningCredentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const services: AwsService[] = [
  {
    protocol: 'query', signingName: 'sts', version: '2011-06-15', xmlns: 'https://sts.amazonaws.com/doc/2011-06-15/',
    actions: {
      GetCallerIdentity: (_p, ctx) => ({ UserId: ctx.caller.userId, Account: ctx.caller.accountId, Arn: ctx.caller.arn }),
      AssumeRoleWithWebIdentity: (p, ctx) => ({ Caller: ctx.caller.arn, Key: ctx.accessKeyId, Role: p.required('RoleArn') }),
      Boom: () => { throw new TypeError('bug'); },
    },
  },
  { protocol: 'query', signingName: 'elasticloadbalancing', version: '2012-06-01', xmlns: 'elb', actions: { DescribeLoadBalancers: () => ({ Which: 'classic' }) } },
  { protocol: 'query', signingName: 'elasticloadbalancing', version: '2015-12-01', xmlns: 'elbv2', actions: { DescribeLoadBalancers: (_p, ctx) => ({ Which: 'v2', Region: ctx.region }) } },
  {
    protocol: 'ec2', signingName: 'ec2', version: '2016-11-15', xmlns: 'http://ec2.amazonaws.com/doc/2016-11-15/',
    actions: {
      DescribeVpcs: (p) => { throw new AwsError('InvalidVpcID.NotFound', `The vpc ID '${p.list('VpcId')[0]}' does not exist`); },
    },
  },
  {
    protocol: 'rest-json', signingName: 'eks',
    routes: [
      { method: 'GET', path: '/clusters/{name}', operation: 'DescribeCluster', handler: (req, ctx) => {
        if (req.params.name !== 'demo') throw new AwsError('ResourceNotFoundException', `No cluster found for name: ${req.params.name}.`, 404, { clusterName: req.params.name });
        return { cluster: { name: 'demo', region: ctx.region, createdAt: new Date(1_700_000_000_000) } };
      } },
      { method: 'POST', path: '/clusters', operation: 'CreateCluster', handler: (req) => ({ got: req.body }) },
      { method: 'DELETE', path: '/tags/{resourceArn}', operation: 'UntagResource', status: 200, handler: (req) => ({ arn: req.params.resourceArn, keys: req.query.getAll('tagKeys') }) },
    ],
  },
];
const d = new AwsDispatcher({ services, credentials: staticCredentials([rootAccessKey({ accountId: '000000000000', accessKeyId: 'test', secretAccessKey: 'test' })]), clock, newRequestId: () => 'req-1' });

function signed(o: { method?: string; path: string; body?: string; service: string; region?: string; creds?: SigningCredentials; contentType?: string }): AwsHttpRequest {
  const url = `http://127.0.0.1:4566${o.path}`;
  const method = o.method ?? 'POST';
  const ct = o.contentType ?? (o.service === 'eks' ? 'application/json' : 'application/x-www-form-urlencoded; charset=utf-8');
  const headers = signRequest({
    method, url, ...(o.body !== undefined ? { body: o.body, headers: { 'content-type': ct } } : {}),
    credentials: o.creds ?? ROOT, region: o.region ?? 'us-east-1', service: o.service, nowMs: clock.now(),
  });
  return { method, rawUrl: o.path, headers: Object.entries(headers), body: Buffer.from(o.body ?? '') };
}
function unsigned(body: string): AwsHttpRequest {
  return { method: 'POST', rawUrl: '/', headers: [['Host', '127.0.0.1:4566'], ['Content-Type', 'application/x-www-form-urlencoded']], body: Buffer.from(body) };
}

test('signed query request: 200 XML built from the caller, with x-amzn-RequestId', async () => {
  const r = await d.handle(signed({ path: '/', body: 'Action=GetCallerIdentity&Version=2011-06-15', service: 'sts' }));
  assert.equal(r.status, 200);
  assert.equal(r.headers['x-amzn-RequestId'], 'req-1');
  assert.equal(r.headers['content-type'], 'text/xml');
  assert.match(r.body, /<GetCallerIdentityResult><UserId>000000000000<\/UserId><Account>000000000000<\/Account><Arn>arn:aws:iam::000000000000:root<\/Arn><\/GetCallerIdentityResult>/);
});

test('auth failures answer 403 in the query envelope', async () => {
  const wrong = await d.handle(signed({ path: '/', body: 'Action=GetCallerIdentity&Version=2011-06-15', service: 'sts', creds: { accessKeyId: 'test', secretAccessKey: 'nope' } }));
  assert.equal(wrong.status, 403);
  assert.match(wrong.body, /<ErrorResponse xmlns="https:\/\/sts.amazonaws.com\/doc\/2011-06-15\/"><Error><Type>Sender<\/Type><Code>SignatureDoesNotMatch<\/Code>/);
  const unknown = await d.handle(signed({ path: '/', body: 'Action=GetCallerIdentity&Version=2011-06-15', service: 'sts', creds: { accessKeyId: 'AKIAX', secretAccessKey: 'test' } }));
  assert.match(unknown.body, /<Code>InvalidClientTokenId<\/Code><Message>The security token included in the request is invalid.<\/Message>/);
  const none = await d.handle(unsigned('Action=GetCallerIdentity&Version=2011-06-15'));
  assert.equal(none.status, 403);
  assert.match(none.body, /<Code>MissingAuthenticationToken<\/Code>/);
  // Auth is checked before the action: an unsigned unknown action learns nothing.
  assert.match((await d.handle(unsigned('Action=Nope&Version=2011-06-15'))).body, /MissingAuthenticationToken/);
});

test('unsigned STS AssumeRoleWithWebIdentity runs as the anonymous principal', async () => {
  const r = await d.handle(unsigned('Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A000000000000%3Arole%2Fr&RoleSessionName=s&WebIdentityToken=t'));
  assert.equal(r.status, 200, r.body);
  assert.match(r.body, /<Caller>anonymous<\/Caller><Key><\/Key><Role>arn:aws:iam::000000000000:role\/r<\/Role>/);
});

test('Action/Version dispatch: unknown action, missing action, ELB classic vs v2 by Version', async () => {
  const bad = await d.handle(signed({ path: '/', body: 'Action=DescribeNothing&Version=2011-06-15', service: 'sts' }));
  assert.equal(bad.status, 400);
  assert.match(bad.body, /<Code>InvalidAction<\/Code><Message>Could not find operation DescribeNothing for version 2011-06-15<\/Message>/);
  assert.match((await d.handle(signed({ path: '/', body: 'Version=2011-06-15', service: 'sts' }))).body, /<Code>MissingAction<\/Code>/);
  const classic = await d.handle(signed({ path: '/', body: 'Action=DescribeLoadBalancers&Version=2012-06-01', service: 'elasticloadbalancing' }));
  assert.match(classic.body, /<Which>classic<\/Which>/);
  const v2 = await d.handle(signed({ path: '/', body: 'Action=DescribeLoadBalancers&Version=2015-12-01', service: 'elasticloadbalancing', region: 'ap-northeast-2' }));
  assert.match(v2.body, /<Which>v2<\/Which><Region>ap-northeast-2<\/Region>/);
  assert.match(v2.body, /xmlns="elbv2"/);
  const neither = await d.handle(signed({ path: '/', body: 'Action=DescribeLoadBalancers&Version=2099-01-01', service: 'elasticloadbalancing' }));
  assert.equal(neither.status, 400);
  assert.match(neither.body, /InvalidAction/);
  // GET query string works too.
  const get = await d.handle(signed({ method: 'GET', path: '/?Action=GetCallerIdentity&Version=2011-06-15', service: 'sts' }));
  assert.equal(get.status, 200, get.body);
});

test('ec2 errors use the Response/Errors envelope; unknown services are a clear 400', async () => {
  const r = await d.handle(signed({ path: '/', body: 'Action=DescribeVpcs&Version=2016-11-15&VpcId.1=vpc-1', service: 'ec2' }));
  assert.equal(r.status, 400);
  assert.equal(r.body, `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>InvalidVpcID.NotFound</Code><Message>The vpc ID 'vpc-1' does not exist</Message></Error></Errors><RequestID>req-1</RequestID></Response>`.replace(/'/g, '&apos;'));
  const s3 = await d.handle(signed({ method: 'GET', path: '/bucket', service: 's3' }));
  assert.equal(s3.status, 400);
  assert.match(s3.headers['x-amzn-ErrorType'] ?? s3.body, /UnknownService/);
  assert.match(s3.body, /does not serve the AWS service 's3'/);
});

test('rest-json: success with epoch dates, ARN path label, modelled errors, body and auth errors', async () => {
  const ok = await d.handle(signed({ method: 'GET', path: '/clusters/demo', service: 'eks', region: 'eu-west-1' }));
  assert.equal(ok.status, 200);
  assert.deepEqual(JSON.parse(ok.body), { cluster: { name: 'demo', region: 'eu-west-1', createdAt: 1_700_000_000 } });
  const nf = await d.handle(signed({ method: 'GET', path: '/clusters/foo', service: 'eks' }));
  assert.equal(nf.status, 404);
  assert.equal(nf.headers['x-amzn-ErrorType'], 'ResourceNotFoundException');
  assert.deepEqual(JSON.parse(nf.body), { message: 'No cluster found for name: foo.', clusterName: 'foo' });
  const arn = await d.handle(signed({ method: 'DELETE', path: '/tags/arn%3Aaws%3Aeks%3Aus-east-1%3A000000000000%3Acluster%2Fdemo?tagKeys=a&tagKeys=b', service: 'eks' }));
  assert.deepEqual(JSON.parse(arn.body), { arn: 'arn:aws:eks:us-east-1:000000000000:cluster/demo', keys: ['a', 'b'] });
  const bad = await d.handle(signed({ path: '/clusters', body: '{"name":', service: 'eks' }));
  assert.equal(bad.status, 400);
  assert.equal(bad.headers['x-amzn-ErrorType'], 'SerializationException');
  const made = await d.handle(signed({ path: '/clusters', body: '{"name":"x"}', service: 'eks' }));
  assert.deepEqual(JSON.parse(made.body), { got: { name: 'x' } });
  const sig = await d.handle(signed({ method: 'GET', path: '/clusters/demo', service: 'eks', creds: { accessKeyId: 'test', secretAccessKey: 'x' } }));
  assert.equal(sig.status, 403);
  assert.equal(sig.headers['x-amzn-ErrorType'], 'InvalidSignatureException');
  const key = await d.handle(signed({ method: 'GET', path: '/clusters/demo', service: 'eks', creds: { accessKeyId: 'nobody', secretAccessKey: 'x' } }));
  assert.equal(key.headers['x-amzn-ErrorType'], 'UnrecognizedClientException');
  const route = await d.handle(signed({ method: 'PUT', path: '/clusters/demo', service: 'eks' }));
  assert.equal(route.status, 404);
  assert.equal(route.headers['x-amzn-ErrorType'], 'UnknownOperationException');
  const noauth = await d.handle({ method: 'GET', rawUrl: '/clusters/demo', headers: [['host', 'h']], body: Buffer.alloc(0) });
  assert.equal(noauth.status, 403);
  assert.equal(noauth.headers['x-amzn-ErrorType'], 'MissingAuthenticationTokenException');
});

test('bugs become 500 InternalFailure; garbage never throws; GET / answers', async () => {
  const r = await d.handle(signed({ path: '/', body: 'Action=Boom&Version=2011-06-15', service: 'sts' }));
  assert.equal(r.status, 500);
  assert.match(r.body, /<Type>Receiver<\/Type><Code>InternalFailure<\/Code>/);
  const garbage: AwsHttpRequest[] = [
    { method: 'POST', rawUrl: '/%%%?%%', headers: [['authorization', 'AWS4-HMAC-SHA256 Credential=%%%']], body: Buffer.from([0xff, 0xfe]) },
    { method: 'POST', rawUrl: '/', headers: [['authorization', 'AWS4-HMAC-SHA256 Credential=a/20260101/r/sts/aws4_request, SignedHeaders=host, Signature=zz']], body: Buffer.from('Action=GetCallerIdentity&Version=2011-06-15') },
    { method: 'GET', rawUrl: '/?X-Amz-Credential=bad', headers: [], body: Buffer.alloc(0) },
    { method: 'DELETE', rawUrl: '//..//', headers: [['content-type', 'application/json']], body: Buffer.from('{') },
  ];
  for (const g of garbage) {
    const res = await d.handle(g);
    assert.ok(res.status >= 400 && res.status < 500, `${g.rawUrl} → ${res.status} ${res.body}`);
  }
  const h = await d.handle({ method: 'GET', rawUrl: '/', headers: [], body: Buffer.alloc(0) });
  assert.equal(h.status, 200);
  assert.deepEqual(JSON.parse(h.body).services, ['ec2', 'eks', 'elasticloadbalancing', 'sts']);
});

test('clock skew is not enforced by default; maxClockSkewMs rejects stale and future signatures', async () => {
  const req = signed({ path: '/', body: 'Action=GetCallerIdentity&Version=2011-06-15', service: 'sts' });
  const later = new FakeClock(clock.now() + 3600_000);
  const creds = staticCredentials([rootAccessKey({ accountId: '000000000000', accessKeyId: 'test', secretAccessKey: 'test' })]);
  assert.equal((await new AwsDispatcher({ services, credentials: creds, clock: later }).handle(req)).status, 200);
  const strict = new AwsDispatcher({ services, credentials: creds, clock: later, maxClockSkewMs: 15 * 60_000 });
  const stale = await strict.handle(req);
  assert.equal(stale.status, 403);
  assert.match(stale.body, /<Code>SignatureDoesNotMatch<\/Code><Message>Signature expired: 20261122T090000Z is now earlier than 20261122T094500Z \(20261122T100000Z - 15 min.\)<\/Message>/);
  const early = new AwsDispatcher({ services, credentials: creds, clock: new FakeClock(clock.now() - 3600_000), maxClockSkewMs: 15 * 60_000 });
  assert.match((await early.handle(req)).body, /Signature not yet current/);
  assert.equal((await new AwsDispatcher({ services, credentials: creds, clock: new FakeClock(clock.now() + 60_000), maxClockSkewMs: 15 * 60_000 }).handle(req)).status, 200);
});

test('fuzz: 500 random requests never throw and never answer 5xx', async () => {
  let seed = 42;
  const rnd = (n: number): number => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
  const pick = <T>(xs: T[]): T => xs[rnd(xs.length)];
  const pieces = ['/', '/clusters', '/clusters/%', '/tags/a%2Fb', '?Action=GetCallerIdentity', '&Version=2011-06-15', 'X-Amz-Credential=test%2F20261122%2Fus-east-1%2Fsts%2Faws4_request', '%00', '..', '//', '?', '&', '=', '\u00e4'];
  const auths = ['', 'AWS4-HMAC-SHA256', 'AWS4-HMAC-SHA256 Credential=test/20261122/us-east-1/eks/aws4_request, SignedHeaders=host, Signature=00',
    'AWS4-HMAC-SHA256 Credential=test/20261122/us-east-1/sts/aws4_request, SignedHeaders=, Signature=', 'AWS4-HMAC-SHA256 Credential=/////', 'Basic xyz',
    'AWS4-HMAC-SHA256 Credential=test/20261122/us-east-1/ec2/aws4_request, SignedHeaders=host;x-amz-date, Signature=zz'];
  for (let i = 0; i < 500; i++) {
    const url = Array.from({ length: rnd(5) + 1 }, () => pick(pieces)).join('');
    const body = Buffer.from(Array.from({ length: rnd(40) }, () => rnd(256)));
    const headers: Array<[string, string]> = [['host', 'h'], ['content-type', pick(['application/json', 'application/x-www-form-urlencoded', 'text/plain'])]];
    const auth = pick(auths);
    if (auth) headers.push(['authorization', auth], ['x-amz-date', pick(['20261122T090000Z', 'garbage'])]);
    const res = await d.handle({ method: pick(['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'PATCH']), rawUrl: url.startsWith('/') ? url : `/${url}`, headers, body });
    assert.ok(res.status >= 200 && res.status < 500, `${url} ${auth} → ${res.status} ${res.body}`);
  }
});

test('query services answer JSON when asked with Accept: application/json (aws-iam-authenticator)', async () => {
  const req = signed({ path: '/', body: 'Action=GetCallerIdentity&Version=2011-06-15', service: 'sts' });
  const r = await d.handle({ ...req, headers: [...req.headers, ['Accept', 'application/json']] });
  assert.equal(r.headers['content-type'], 'application/json');
  assert.deepEqual(JSON.parse(r.body), { GetCallerIdentityResponse: { GetCallerIdentityResult: { UserId: '000000000000', Account: '000000000000', Arn: 'arn:aws:iam::000000000000:root' }, ResponseMetadata: { RequestId: 'req-1' } } });
});
