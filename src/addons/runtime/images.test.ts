// The process runtime's image table and the servers' answers (real sockets on loopback).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { classify, repositoryOf } from './images.js';
import { handlerFor } from './servers.js';
import type { ServerKind } from './images.js';

test('repositories and the images the runtime runs', () => {
  assert.equal(repositoryOf('k8s.gcr.io/echoserver:1.10'), 'echoserver');
  assert.equal(repositoryOf('registry.k8s.io/echoserver@sha256:abc'), 'echoserver');
  assert.equal(repositoryOf('nginx'), 'nginx');
  assert.equal(repositoryOf('docker.io/library/nginx:1.27'), 'nginx');
  assert.equal(repositoryOf('localhost:5000/hashicorp/http-echo:0.2.3'), 'hashicorp/http-echo');
  assert.deepEqual(classify({ image: 'k8s.gcr.io/echoserver:1.10', ports: [{ containerPort: 8080 }] }), { server: { kind: 'echoserver' }, ports: [8080] });
  assert.deepEqual(classify({ image: 'registry.k8s.io/echoserver:1.4' }), { server: { kind: 'echoserver' }, ports: [8080] });
  assert.deepEqual(classify({ image: 'mendhak/http-https-echo:31', env: [{ name: 'HTTP_PORT', value: '8888' }] }), { server: { kind: 'http-https-echo' }, ports: [8888] });
  assert.deepEqual(classify({ image: 'hashicorp/http-echo', args: ['-text=apple', '-listen=:8080'] }), { server: { kind: 'http-echo', text: 'apple' }, ports: [8080] });
  assert.deepEqual(classify({ image: 'hashicorp/http-echo:0.2.3', args: ['-text', 'banana'] }), { server: { kind: 'http-echo', text: 'banana' }, ports: [5678] });
  assert.deepEqual(classify({ image: 'nginx:1.27', ports: [{ containerPort: 80 }, { containerPort: 53, protocol: 'UDP' }] }), { server: { kind: 'static', flavour: 'nginx' }, ports: [80] });
  assert.deepEqual(classify({ image: 'public.ecr.aws/docker/library/httpd:2.4' }), { server: { kind: 'static', flavour: 'httpd' }, ports: [80] });
  assert.equal(classify({ image: 'busybox' }), undefined);
  assert.equal(classify({ image: 'redis:7', ports: [{ containerPort: 6379 }] }), undefined);
});

async function ask(server: ServerKind, path = '/', headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const s = createServer(handlerFor(server, { name: 'echo-7d9f-abcde', namespace: 'default', podIp: '192.168.10.5' }));
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  try {
    return await new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: (s.address() as AddressInfo).port, path, headers, agent: false }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => { body += c.toString(); });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
  } finally {
    s.close();
  }
}

test('echoserver answers with the pod name, request information and headers', async () => {
  const r = await ask({ kind: 'echoserver' }, '/hello?x=1', { 'X-Test': 'yes' });
  assert.equal(r.status, 200);
  assert.match(r.body, /\nHostname: echo-7d9f-abcde\n/);
  assert.match(r.body, /\tclient_address=127\.0\.0\.1\n/);
  assert.match(r.body, /\treal path=\/hello\n\tquery=x=1\n/);
  assert.match(r.body, /\tx-test=yes\n/);
  assert.match(r.body, /-no body in request-/);
});

test('http-https-echo JSON, http-echo text, nginx and httpd pages', async () => {
  const j = JSON.parse((await ask({ kind: 'http-https-echo' }, '/p?q=2')).body) as { path: string; os: { hostname: string }; query: Record<string, string> };
  assert.deepEqual([j.path, j.os.hostname, j.query.q], ['/p', 'echo-7d9f-abcde', '2']);
  assert.deepEqual(await ask({ kind: 'http-echo', text: 'apple' }), { status: 200, body: 'apple\n' });
  const n = await ask({ kind: 'static', flavour: 'nginx' });
  assert.match(n.body, /<title>Welcome to nginx!<\/title>/);
  assert.equal((await ask({ kind: 'static', flavour: 'nginx' }, '/missing')).status, 404);
  assert.equal((await ask({ kind: 'static', flavour: 'httpd' })).body, '<html><body><h1>It works!</h1></body></html>\n');
});
