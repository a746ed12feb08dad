/**
 * SigV4 against known vectors: every expected signature below was computed by botocore 1.43.11
 * (`botocore.auth.SigV4Auth` / `SigV4QueryAuth` with the clock fixed at 2026-11-22T08:30:00Z) and
 * hard-coded here; the verifier must reproduce them byte for byte.
 */
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalQueryString, canonicalUri, deriveSigningKey, parseAuthorizationHeader, parseCredentialScope, removeDotSegments, signaturesEqual } from './sigv4.js';
import { presignUrl, signRequest } from './sigv4-sign.js';
import { sigV4Error, verifyPresignedUrl, verifyRequestSignature, type SignedRequest } from './sigv4-verify.js';
import type { AccessKeyRecord, CredentialStore } from './types.js';

const NOW = Date.UTC(2026, 10, 22, 8, 30, 0);
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const ROOT = { accountId: '000000000000', arn: 'arn:aws:iam::000000000000:root', userId: '000000000000', type: 'root' as const };

function store(...records: AccessKeyRecord[]): CredentialStore {
  const m = new Map(records.map((r) => [r.accessKeyId, r]));
  return { lookup: (id) => m.get(id) };
}
const creds = store(
  { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET, status: 'Active', principal: ROOT },
  { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'tempsecret', sessionToken: 'SESSIONTOKEN/+=', expiresAt: NOW + 3600_000, status: 'Active', principal: ROOT },
  { accessKeyId: 'AKIAINACTIVE', secretAccessKey: SECRET, status: 'Inactive', principal: ROOT },
);

const queryReq: SignedRequest = {
  method: 'POST',
  rawUrl: '/',
  headers: [
    ['Content-Type', 'application/x-www-form-urlencoded; charset=utf-8'],
    ['Host', '127.0.0.1:4566'],
    ['X-Amz-Date', '20261122T083000Z'],
    ['Authorization', 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261122/us-east-1/sts/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=aefa761963102aff49dc49b42e30770c57076dc53a97c3a8e35b07f0f7baeacb'],
  ],
  body: Buffer.from('Action=GetCallerIdentity&Version=2011-06-15'),
};

const arnReq: SignedRequest = {
  method: 'DELETE',
  rawUrl: '/tags/arn%3Aaws%3Aeks%3Aeu-west-1%3A123456789012%3Acluster%2Fdemo?tagKeys=b&tagKeys=a',
  headers: [
    ['host', '127.0.0.1:4566'],
    ['x-amz-date', '20261122T083000Z'],
    ['authorization', 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261122/eu-west-1/eks/aws4_request, SignedHeaders=host;x-amz-date, Signature=8c6187c022b717e9b1795a6546a133b93e1f78aff184bf274e63a52288f33abb'],
  ],
  body: Buffer.alloc(0),
};

const sessionReq: SignedRequest = {
  method: 'POST',
  rawUrl: '/clusters',
  headers: [
    ['Content-Type', 'application/json'],
    ['Host', '127.0.0.1:4566'],
    ['X-Amz-Date', '20261122T083000Z'],
    ['X-Amz-Security-Token', 'SESSIONTOKEN/+='],
    ['Authorization', 'AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE/20261122/ap-northeast-2/eks/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature=9f4f632aa36122da9c01d77477b43a5b1125ea8084725e8d9e34244f0f59b73e'],
  ],
  body: Buffer.from('{"name":"x"}'),
};

const PRESIGNED = 'https://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20261122%2Fus-east-1%2Fsts%2Faws4_request&X-Amz-Date=20261122T083000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id&X-Amz-Signature=33afc46bbb16312831e17ccf3f7e7febe56e910283ed8f58de75a5bba90a3edf';

function withHeader(r: SignedRequest, name: string, value: string): SignedRequest {
  return { ...r, headers: r.headers.map(([k, v]) => [k, k.toLowerCase() === name ? value : v] as const) };
}

test('query POST signed by botocore verifies, with the credential scope', () => {
  const r = verifyRequestSignature(queryReq, creds, NOW);
  assert.equal(r.ok, true);
  if (!r.ok) return;
  assert.deepEqual(r.scope, { accessKeyId: 'AKIDEXAMPLE', date: '20261122', region: 'us-east-1', service: 'sts' });
  assert.equal(r.signedAt, NOW);
  assert.equal(r.key.principal.arn, ROOT.arn);
});

test('a changed body, header or secret no longer matches', () => {
  assert.deepEqual(verifyRequestSignature({ ...queryReq, body: Buffer.from('Action=GetCallerIdentity&Version=2011-06-16') }, creds, NOW),
    { ok: false, reason: 'bad-signature', message: 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.' });
  assert.equal((verifyRequestSignature(withHeader(queryReq, 'host', '127.0.0.1:4567'), creds, NOW) as { reason: string }).reason, 'bad-signature');
  const wrong = store({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'other', status: 'Active', principal: ROOT });
  assert.equal((verifyRequestSignature(queryReq, wrong, NOW) as { reason: string }).reason, 'bad-signature');
});

test('rest-json DELETE with an encoded ARN in the path (non-S3 double encoding) verifies', () => {
  assert.equal(canonicalUri('/tags/arn%3Aaws%3Aeks%3Aeu-west-1%3A123456789012%3Acluster%2Fdemo'),
    '/tags/arn%253Aaws%253Aeks%253Aeu-west-1%253A123456789012%253Acluster%252Fdemo');
  const r = verifyRequestSignature(arnReq, creds, NOW);
  assert.equal(r.ok, true, JSON.stringify(r));
  // The same path decoded once would be a different request.
  const decoded = { ...arnReq, rawUrl: '/tags/arn:aws:eks:eu-west-1:123456789012:cluster%2Fdemo?tagKeys=b&tagKeys=a' };
  assert.equal(verifyRequestSignature(decoded, creds, NOW).ok, false);
});

test('canonical URI and query follow botocore (dot segments, UTF-8, sorted pairs)', () => {
  assert.equal(canonicalUri('/a/./b/../c//d/'), '/a/c/d/');
  assert.equal(canonicalUri('/clusters/my cluster/ä'), '/clusters/my%20cluster/%C3%A4');
  assert.equal(canonicalUri(''), '/');
  assert.equal(removeDotSegments('/..'), '/');
  assert.equal(canonicalQueryString('tagKeys=b&tagKeys=a&A=1&x=a%2Fb%20c'), 'A=1&tagKeys=a&tagKeys=b&x=a%2Fb%20c');
  assert.equal(canonicalQueryString('b=1&X-Amz-Signature=abc&a', ['X-Amz-Signature']), 'a=&b=1');
});

test('temporary credentials: token required and must match; expiry → expired', () => {
  assert.equal(verifyRequestSignature(sessionReq, creds, NOW).ok, true);
  const noToken = { ...sessionReq, headers: sessionReq.headers.filter(([k]) => k !== 'X-Amz-Security-Token') };
  assert.equal((verifyRequestSignature(noToken, creds, NOW) as { reason: string }).reason, 'unknown-key');
  assert.equal((verifyRequestSignature(withHeader(sessionReq, 'x-amz-security-token', 'other'), creds, NOW) as { reason: string }).reason, 'unknown-key');
  const late = verifyRequestSignature(sessionReq, creds, NOW + 3600_000);
  assert.deepEqual(late, { ok: false, reason: 'expired', message: 'The security token included in the request is expired' });
});

test('unknown and inactive keys, missing and malformed signatures', () => {
  const other = withHeader(queryReq, 'authorization', queryReq.headers[3][1].replace('AKIDEXAMPLE', 'AKIDUNKNOWN'));
  assert.deepEqual(verifyRequestSignature(other, creds, NOW), { ok: false, reason: 'unknown-key', message: 'The security token included in the request is invalid.' });
  const inactive = withHeader(queryReq, 'authorization', queryReq.headers[3][1].replace('AKIDEXAMPLE', 'AKIAINACTIVE'));
  assert.equal((verifyRequestSignature(inactive, creds, NOW) as { reason: string }).reason, 'unknown-key');
  const none = { ...queryReq, headers: queryReq.headers.filter(([k]) => k !== 'Authorization') };
  assert.equal((verifyRequestSignature(none, creds, NOW) as { reason: string }).reason, 'missing');
  const bad = withHeader(queryReq, 'authorization', 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/2026/us-east-1/sts, Signature=00');
  assert.equal((verifyRequestSignature(bad, creds, NOW) as { reason: string }).reason, 'malformed');
  const v2 = withHeader(queryReq, 'authorization', 'AWS AKIDEXAMPLE:abc=');
  assert.equal((verifyRequestSignature(v2, creds, NOW) as { reason: string }).reason, 'malformed');
});

test('presigned URL (EKS token shape) verifies with x-k8s-aws-id and an empty-body hash', () => {
  const r = verifyPresignedUrl(PRESIGNED, { 'x-k8s-aws-id': 'myeks' }, creds, NOW);
  assert.equal(r.ok, true, JSON.stringify(r));
  if (r.ok) {
    assert.equal(r.expiresSeconds, 60);
    assert.equal(r.signedAt, NOW);
    assert.equal(r.scope.service, 'sts');
  }
  // Bound to the cluster name and the host.
  assert.equal((verifyPresignedUrl(PRESIGNED, { 'x-k8s-aws-id': 'other' }, creds, NOW) as { reason: string }).reason, 'bad-signature');
  assert.equal(verifyPresignedUrl(PRESIGNED.replace('sts.us-east-1', 'sts.us-west-2'), { 'x-k8s-aws-id': 'myeks' }, creds, NOW).ok, false);
  // verifyPresignedUrl leaves X-Amz-Expires to the caller.
  assert.equal(verifyPresignedUrl(PRESIGNED, { 'x-k8s-aws-id': 'myeks' }, creds, NOW + 3600_000).ok, true);
  assert.equal((verifyPresignedUrl('not a url', {}, creds, NOW) as { reason: string }).reason, 'malformed');
});

test('a presigned request to the endpoint honours X-Amz-Expires', () => {
  const u = new URL(PRESIGNED);
  const req: SignedRequest = { method: 'GET', rawUrl: `/${u.search}`, headers: [['host', u.host], ['x-k8s-aws-id', 'myeks']], body: Buffer.alloc(0) };
  assert.equal(verifyRequestSignature(req, creds, NOW + 59_000).ok, true);
  assert.deepEqual(verifyRequestSignature(req, creds, NOW + 61_000), { ok: false, reason: 'expired', message: 'Request has expired' });
});

test('sigV4Error names the code per protocol (403; EC2 unknown key 401 AuthFailure)', () => {
  const f = { reason: 'bad-signature' as const, message: 'm' };
  assert.equal(sigV4Error(f, 'query').code, 'SignatureDoesNotMatch');
  assert.equal(sigV4Error(f, 'rest-json').code, 'InvalidSignatureException');
  assert.equal(sigV4Error({ reason: 'unknown-key', message: 'm' }, 'query').code, 'InvalidClientTokenId');
  const ec2 = sigV4Error({ reason: 'unknown-key', message: 'm' }, 'ec2');
  assert.deepEqual([ec2.code, ec2.status, ec2.message], ['AuthFailure', 401, 'AWS was not able to validate the provided access credentials']);
  assert.equal(sigV4Error(f, 'ec2').code, 'SignatureDoesNotMatch');
  assert.equal(sigV4Error({ reason: 'unknown-key', message: 'm' }, 'rest-json').code, 'UnrecognizedClientException');
  assert.equal(sigV4Error({ reason: 'missing', message: 'm' }, 'rest-json').code, 'MissingAuthenticationTokenException');
  assert.equal(sigV4Error({ reason: 'expired', message: 'm' }, 'query').code, 'ExpiredToken');
  assert.equal(sigV4Error(f, 'query').status, 403);
});

test('helpers: scope parsing, key derivation (AWS docs example), constant-time compare', () => {
  assert.throws(() => parseCredentialScope('AKID/2026/us-east-1/sts/aws4_request'));
  assert.deepEqual(parseCredentialScope('AKID/20261122/eu-west-1/iam/aws4_request'), { accessKeyId: 'AKID', date: '20261122', region: 'eu-west-1', service: 'iam' });
  // AWS General Reference, "Examples of how to derive a signing key for Signature Version 4".
  assert.equal(deriveSigningKey('wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', '20120215', 'us-east-1', 'iam').toString('hex'),
    'f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d');
  assert.equal(signaturesEqual('abcd', 'abcd'), true);
  assert.equal(signaturesEqual('abcd', 'abce'), false);
  assert.equal(signaturesEqual('abcd', 'abc'), false);
  const p = parseAuthorizationHeader('AWS4-HMAC-SHA256 Credential=K/20261122/r/s/aws4_request, SignedHeaders=Host;X-Amz-Date, Signature=AB', '20261122T000000Z', undefined);
  assert.deepEqual(p.signedHeaders, ['host', 'x-amz-date']);
  assert.equal(p.signature, 'ab');
});

test('signRequest / presignUrl reproduce botocore byte for byte', () => {
  const h = signRequest({
    method: 'POST', url: 'http://127.0.0.1:4566/', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: 'Action=GetCallerIdentity&Version=2011-06-15', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET }, region: 'us-east-1', service: 'sts', nowMs: NOW,
  });
  assert.equal(h.authorization, queryReq.headers[3][1]);
  const d = signRequest({
    method: 'DELETE', url: 'http://127.0.0.1:4566/tags/arn%3Aaws%3Aeks%3Aeu-west-1%3A123456789012%3Acluster%2Fdemo?tagKeys=b&tagKeys=a',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET }, region: 'eu-west-1', service: 'eks', nowMs: NOW,
  });
  assert.equal(d.authorization, arnReq.headers[2][1]);
  const s = signRequest({
    method: 'POST', url: 'http://127.0.0.1:4566/clusters', headers: { 'content-type': 'application/json' }, body: '{"name":"x"}',
    credentials: { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'tempsecret', sessionToken: 'SESSIONTOKEN/+=' }, region: 'ap-northeast-2', service: 'eks', nowMs: NOW,
  });
  assert.equal(s.authorization, sessionReq.headers[4][1]);
  assert.equal(presignUrl({
    method: 'GET', url: 'https://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15', headers: { 'x-k8s-aws-id': 'myeks' },
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET }, region: 'us-east-1', service: 'sts', nowMs: NOW, expiresSeconds: 60,
  }), PRESIGNED);
});

test('x-amz-content-sha256, when sent, is signed and must be the body hash', () => {
  const body = 'Action=GetCallerIdentity&Version=2011-06-15';
  const sign = (hash: string): SignedRequest => {
    const h = signRequest({ method: 'POST', url: 'http://h/', headers: { 'x-amz-content-sha256': hash }, body, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET }, region: 'us-east-1', service: 'sts', nowMs: NOW });
    return { method: 'POST', rawUrl: '/', headers: Object.entries(h), body: Buffer.from(body) };
  };
  assert.equal(verifyRequestSignature(sign(createHash('sha256').update(body).digest('hex')), creds, NOW).ok, true);
  assert.equal(verifyRequestSignature(sign('UNSIGNED-PAYLOAD'), creds, NOW).ok, true);
  assert.deepEqual(verifyRequestSignature(sign(createHash('sha256').update('other').digest('hex')), creds, NOW),
    { ok: false, reason: 'bad-signature', message: "The provided 'x-amz-content-sha256' header does not match what was computed." });
});
