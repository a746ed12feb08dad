// The two data paths on real loopback sockets: the ALB proxy (forward with X-Forwarded-*,
// redirect, fixed response, 503 without targets, 502 when the target is down) and the NLB
// proxy (piping, hand-off to an in-process server, reset without targets).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import { connect, createServer as createTcpServer, type AddressInfo, type Server as NetServer } from 'node:net';
import type { ActionDoc, ListenerDoc, RuleDoc } from '../../aws/services/elbv2/model.js';
import { createAlbServer } from './alb-proxy.js';
import { createNlbServer } from './nlb-proxy.js';
import type { Address } from './balancer.js';
import { PROXY_V2_SIGNATURE, readProxyHeader } from '../../util/proxy-protocol.js';

async function listen<T extends Server | NetServer>(s: T): Promise<number> {
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return (s.address() as AddressInfo).port;
}

function get(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers, agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => { body += c.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('ALB proxy: forward with X-Forwarded headers, redirect, fixed response, 503, 502', async () => {
  const backend = createServer((req, res) => res.end(JSON.stringify({ url: req.url, xff: req.headers['x-forwarded-for'], proto: req.headers['x-forwarded-proto'], port: req.headers['x-forwarded-port'], trace: req.headers['x-amzn-trace-id'] })));
  const backendPort = await listen(backend);
  const listener: ListenerDoc = { arn: 'l', loadBalancerArn: 'lb', port: 80, protocol: 'HTTP', certificates: [], defaultActions: [], tags: [] };
  const fwd = (arn: string): ActionDoc => ({ type: 'forward', targetGroups: [{ arn, weight: 1 }] });
  const rules: RuleDoc[] = [
    { arn: '1', listenerArn: 'l', priority: '1', conditions: [{ field: 'path-pattern', values: ['/app/*'] }], actions: [fwd('up')], tags: [] },
    { arn: '2', listenerArn: 'l', priority: '2', conditions: [{ field: 'path-pattern', values: ['/empty'] }], actions: [fwd('empty')], tags: [] },
    { arn: '3', listenerArn: 'l', priority: '3', conditions: [{ field: 'path-pattern', values: ['/down'] }], actions: [fwd('down')], tags: [] },
    { arn: '4', listenerArn: 'l', priority: '4', conditions: [{ field: 'host-header', values: ['old.example.com'] }], actions: [{ type: 'redirect', protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' }], tags: [] },
    { arn: 'd', listenerArn: 'l', priority: 'default', conditions: [], actions: [{ type: 'fixed-response', statusCode: '404', contentType: 'text/plain', messageBody: 'nothing here' }], tags: [] },
  ];
  const targets: Record<string, Address | undefined> = { up: { host: '127.0.0.1', port: backendPort }, empty: undefined, down: { host: '127.0.0.1', port: 1 } };
  const alb = createAlbServer({ listener: () => listener, rules: () => rules, pick: (a) => (a.type === 'forward' ? targets[a.targetGroups[0].arn] : undefined) });
  const port = await listen(alb);
  try {
    const ok = await get(port, '/app/x?y=1', { 'X-Forwarded-For': '203.0.113.9' });
    const seen = JSON.parse(ok.body) as { url: string; xff: string; proto: string; port: string; trace: string };
    assert.deepEqual([ok.status, seen.url, seen.xff, seen.proto, seen.port], [200, '/app/x?y=1', '203.0.113.9, 127.0.0.1', 'http', '80']);
    assert.match(seen.trace, /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    const none = await get(port, '/empty');
    assert.equal(none.status, 503);
    assert.match(none.body, /503 Service Temporarily Unavailable/);
    assert.equal((await get(port, '/down')).status, 502);
    const moved = await get(port, '/a/b?c=d', { Host: 'old.example.com' });
    assert.deepEqual([moved.status, moved.headers.location], [301, 'https://old.example.com/a/b?c=d']);
    const fixed = await get(port, '/other');
    assert.deepEqual([fixed.status, fixed.body, fixed.headers['content-type'], fixed.headers.server], [404, 'nothing here', 'text/plain', 'awselb/2.0']);
  } finally {
    alb.close();
    backend.close();
  }
});

test('NLB proxy: pipes to host:port, hands sockets to in-process servers, resets without targets', async () => {
  const echo = createServer((req, res) => res.end(`piped ${req.url}`));
  const echoPort = await listen(echo);
  const inproc = createServer((req, res) => res.end(`handed ${req.url} from ${req.socket.remoteAddress}`));
  let next: Address | undefined = { host: '127.0.0.1', port: echoPort };
  const nlb = createNlbServer(() => next);
  const port = await listen(nlb);
  try {
    assert.equal((await get(port, '/a')).body, 'piped /a');
    next = { host: 'unused', port: 0, accept: (s) => { inproc.emit('connection', s); } };
    assert.equal((await get(port, '/b')).body, 'handed /b from 127.0.0.1');
    next = undefined;
    const reset = await new Promise<string>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
      s.on('close', () => resolve('closed'));
    });
    assert.ok(reset === 'ECONNRESET' || reset === 'closed', reset);
  } finally {
    nlb.close();
    echo.close();
    inproc.close();
  }
});

test('NLB proxy protocol v2: a piped target\'s first bytes are the header, then the client\'s; a handed-over socket reads the same', async () => {
  let received = Buffer.alloc(0);
  let gotHello!: () => void;
  const gotBytes = new Promise<void>((resolve) => { gotHello = resolve; });
  const raw = createTcpServer((s) => s.on('data', (c: Buffer) => {
    received = Buffer.concat([received, c]);
    if (received.toString('latin1').endsWith('hello')) { s.end(); gotHello(); }
  }));
  const rawPort = await listen(raw);
  const rawTarget: Address = { host: '127.0.0.1', port: rawPort, proxy: { destinationIp: '192.168.20.7', destinationPort: 80 } };
  const nlb = createNlbServer(() => rawTarget, false);
  let handedFirst!: (b: Buffer) => void;
  const firstRead = new Promise<Buffer>((resolve) => { handedFirst = resolve; });
  const handed: Address = { host: '127.0.0.1', port: 1, proxy: { destinationIp: '192.168.20.7', destinationPort: 80 }, accept: (s) => s.once('data', (c: Buffer) => { handedFirst(c); s.destroy(); }) };
  const nlb2 = createNlbServer(() => handed, true);
  try {
    const port = await listen(nlb);
    const client = connect({ host: '127.0.0.1', port }, () => client.write('hello'));
    await gotBytes;
    const h = readProxyHeader(received);
    assert.equal(h.kind, 'header');
    if (h.kind !== 'header') return;
    assert.equal(h.length, 28);
    assert.deepEqual({ ...h.endpoints, sourcePort: 0 }, { sourceIp: '127.0.0.1', sourcePort: 0, destinationIp: '192.168.20.7', destinationPort: 80 });
    assert.equal(h.endpoints?.sourcePort, client.localPort, 'the header names the client\'s own port');
    assert.equal(received.subarray(28).toString(), 'hello');
    client.destroy();

    // Hand-off: the accepted socket is given to the target with the header pushed back in front.
    const p2 = await listen(nlb2);
    const c2 = connect({ host: '127.0.0.1', port: p2 }, () => c2.write('GET /'));
    c2.on('error', () => undefined);
    const first = await firstRead;
    assert.deepEqual(first.subarray(0, 12), PROXY_V2_SIGNATURE);
    const h2 = readProxyHeader(first);
    assert.equal(h2.kind, 'header');
    assert.equal(h2.kind === 'header' ? h2.endpoints?.sourcePort : 0, c2.localPort);
    c2.destroy();
  } finally {
    nlb.close();
    nlb2.close();
    raw.close();
  }
});
