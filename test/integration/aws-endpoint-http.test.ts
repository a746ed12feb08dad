/**
 * AwsEndpoint over a real socket (node fetch + the in-repo signer): listener lifecycle, the
 * request id header on every answer, the body limit, concurrency, and debug logs that name
 * service/operation/status/duration but never a signature or secret.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { AwsEndpoint } from '../../src/aws/server.js';
import { rootAccessKey, staticCredentials } from '../../src/aws/core/credentials.js';
import { signRequest } from '../../src/aws/core/sigv4-sign.js';
import type { AwsService } from '../../src/aws/core/types.js';

const SECRET = 'very-secret-value';
const services: AwsService[] = [
  { protocol: 'query', signingName: 'sts', version: '2011-06-15', xmlns: 'https://sts.amazonaws.com/doc/2011-06-15/', actions: { GetCallerIdentity: (_p, ctx) => ({ Arn: ctx.caller.arn }) } },
  { protocol: 'rest-json', signingName: 'eks', routes: [{ method: 'POST', path: '/clusters', operation: 'CreateCluster', handler: (req) => ({ n: Object.keys(req.body).length }) }] },
];

async function call(url: string, o: { service: string; body: string; contentType: string; secret?: string; path?: string }): Promise<Response> {
  const full = `${url}${o.path ?? '/'}`;
  const headers = signRequest({ method: 'POST', url: full, headers: { 'content-type': o.contentType }, body: o.body, credentials: { accessKeyId: 'AKIAROOT', secretAccessKey: o.secret ?? SECRET }, region: 'us-east-1', service: o.service, nowMs: Date.now() });
  delete headers.host;
  return fetch(full, { method: 'POST', headers, body: o.body });
}
const STS_BODY = { service: 'sts', body: 'Action=GetCallerIdentity&Version=2011-06-15', contentType: 'application/x-www-form-urlencoded; charset=utf-8' };

describe('AwsEndpoint over HTTP', () => {
  let ep: AwsEndpoint;
  const lines: string[] = [];
  before(async () => {
    const sink = new Writable({ write(chunk: Buffer, _enc, cb) { lines.push(chunk.toString('utf8')); cb(); } });
    ep = new AwsEndpoint({
      services, port: 0, maxBodyBytes: 4096, logger: pino({ level: 'debug' }, sink),
      credentials: staticCredentials([rootAccessKey({ accountId: '111122223333', accessKeyId: 'AKIAROOT', secretAccessKey: SECRET })]),
    });
    await ep.start();
  });
  after(async () => { await ep.stop(); });

  it('listens on 127.0.0.1 with a url; GET / answers with the served services', async () => {
    assert.match(ep.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(ep.port > 0);
    const r = await fetch(`${ep.url}/`);
    assert.equal(r.status, 200);
    assert.ok(r.headers.get('x-amzn-requestid'));
    assert.deepEqual((await r.json() as { services: string[] }).services, ['eks', 'sts']);
  });

  it('every answer, success or error, carries x-amzn-RequestId; request ids differ', async () => {
    const ok = await call(ep.url, STS_BODY);
    assert.equal(ok.status, 200);
    assert.match(await ok.text(), /<Arn>arn:aws:iam::111122223333:root<\/Arn>/);
    const bad = await call(ep.url, { ...STS_BODY, secret: 'nope' });
    assert.equal(bad.status, 403);
    const body = await bad.text();
    const id = bad.headers.get('x-amzn-requestid');
    assert.ok(id && body.includes(`<RequestId>${id}</RequestId>`));
    assert.notEqual(ok.headers.get('x-amzn-requestid'), id);
  });

  it('bodies over the limit are refused with 413 in the protocol envelope', async () => {
    const big = await call(ep.url, { service: 'eks', path: '/clusters', body: JSON.stringify({ x: 'a'.repeat(5000) }), contentType: 'application/json' });
    assert.equal(big.status, 413);
    assert.equal(big.headers.get('x-amzn-errortype'), 'RequestEntityTooLarge');
    const small = await call(ep.url, { service: 'eks', path: '/clusters', body: '{"a":1,"b":2}', contentType: 'application/json' });
    assert.equal(small.status, 200);
    assert.deepEqual(await small.json(), { n: 2 });
  });

  it('serves concurrent requests', async () => {
    const rs = await Promise.all(Array.from({ length: 40 }, () => call(ep.url, STS_BODY)));
    assert.deepEqual([...new Set(rs.map((r) => r.status))], [200]);
    assert.equal(new Set(rs.map((r) => r.headers.get('x-amzn-requestid'))).size, 40);
  });

  it('debug logs name service, operation, status and duration — never secrets or signatures', async () => {
    lines.length = 0;
    await (await call(ep.url, STS_BODY)).text();
    await (await call(ep.url, { ...STS_BODY, secret: 'other-secret' })).text();
    const recs = lines.join('').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'aws request');
    assert.deepEqual(recs.map((r) => [r.service, r.operation, r.status]), [['sts', 'GetCallerIdentity', 200], ['sts', 'GetCallerIdentity', 403]]);
    assert.ok(recs.every((r) => typeof r.ms === 'number'));
    const all = lines.join('');
    for (const s of [SECRET, 'other-secret', 'Signature=', 'AWS4-HMAC-SHA256']) assert.ok(!all.includes(s), `log leaks ${s}`);
  });

  it('a second endpoint on a taken port fails to start; stop() is idempotent', async () => {
    const other = new AwsEndpoint({ services, credentials: staticCredentials([]), port: ep.port });
    await assert.rejects(other.start(), /EADDRINUSE/);
    await other.stop();
  });
});
