import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { createCa, issueClientCert, issueServingCert } from './issue.js';
import { identityFromPeerCert, identityFromTlsSocket } from './identity.js';
import type { CertKeyPem, X509Identity } from './types.js';

let caPromise: Promise<CertKeyPem> | undefined;
const ca = (): Promise<CertKeyPem> => (caPromise ??= createCa());

test('identity from an X509Certificate: user = CN, groups = every O in order', async () => {
  const c = await issueClientCert(await ca(), { commonName: 'alice', organizations: ['dev', 'system:masters'] });
  assert.deepEqual(identityFromPeerCert(new X509Certificate(c.certPem)), { username: 'alice', groups: ['dev', 'system:masters'] });
});

test('identity with no organizations has no groups; a peer cert object works the same', async () => {
  const c = await issueClientCert(await ca(), { commonName: 'system:node:ip-10-0-0-1', validityDays: 7 });
  const x = new X509Certificate(c.certPem);
  assert.deepEqual(identityFromPeerCert(x), { username: 'system:node:ip-10-0-0-1', groups: [] });
  const legacy = x.toLegacyObject();
  assert.deepEqual(identityFromPeerCert(legacy), { username: 'system:node:ip-10-0-0-1', groups: [] });
  const days = (Date.parse(x.validTo) - Date.now()) / 86_400_000;
  assert.ok(days > 6.9 && days < 7.1, `validity ${days} days`);
});

test('an empty peer certificate (no client cert) or a subject without CN yields null', () => {
  assert.equal(identityFromPeerCert({} as never), null);
  assert.equal(identityFromPeerCert({ subject: { O: 'x' } } as never), null);
  assert.deepEqual(identityFromPeerCert({ subject: { CN: ['a', 'b'], O: ['g1', 'g2'] } } as never), { username: 'b', groups: ['g1', 'g2'] });
});

interface Seen { identity: X509Identity | null; authorized: boolean }

/** An HTTPS server on 127.0.0.1 that asks for (but does not require) a client cert signed by the CA. */
async function startServer(caPair: CertKeyPem, serving: CertKeyPem, seen: Seen[]): Promise<{ port: number; close(): Promise<void> }> {
  const server = https.createServer(
    { cert: serving.certPem, key: serving.keyPem, ca: caPair.certPem, requestCert: true, rejectUnauthorized: false },
    (req, res) => {
      const sock = req.socket as TLSSocket;
      seen.push({ identity: identityFromTlsSocket(sock), authorized: sock.authorized });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ ok: true }));
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { port, close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) };
}

function get(port: number, opts: https.RequestOptions): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port, path: '/', agent: false, timeout: 5000, ...opts }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

test('real TLS handshake: client trusts the CA, presents the admin cert, server sees CN/O', async (t) => {
  const caPair = await ca();
  const serving = await issueServingCert(caPair, { sans: ['127.0.0.1', 'localhost'] });
  const admin = await issueClientCert(caPair, { commonName: 'kubernetes-admin', organizations: ['system:masters'] });
  const seen: Seen[] = [];
  const srv = await startServer(caPair, serving, seen);
  t.after(() => srv.close());

  const ok = await get(srv.port, { ca: caPair.certPem, cert: admin.certPem, key: admin.keyPem });
  assert.equal(ok.status, 200);
  assert.deepEqual(seen[0], { identity: { username: 'kubernetes-admin', groups: ['system:masters'] }, authorized: true });

  // No client cert: the handshake still succeeds (anonymous), but there is no identity.
  await get(srv.port, { ca: caPair.certPem });
  assert.deepEqual(seen[1], { identity: null, authorized: false });

  // A client cert from another CA is not trusted: no identity.
  const other = await createCa({ commonName: 'other' });
  const stranger = await issueClientCert(other, { commonName: 'mallory', organizations: ['system:masters'] });
  await get(srv.port, { ca: caPair.certPem, cert: stranger.certPem, key: stranger.keyPem });
  assert.deepEqual(seen[2], { identity: null, authorized: false });

  // The serving cert is not a client cert (serverAuth only): OpenSSL's client-purpose check rejects it.
  await get(srv.port, { ca: caPair.certPem, cert: serving.certPem, key: serving.keyPem });
  assert.deepEqual(seen[3], { identity: null, authorized: false });
});

test('a client that does not trust the cluster CA refuses the server', async (t) => {
  const caPair = await ca();
  const serving = await issueServingCert(caPair, { sans: ['127.0.0.1'] });
  const srv = await startServer(caPair, serving, []);
  t.after(() => srv.close());
  const other = await createCa({ commonName: 'other' });
  await assert.rejects(get(srv.port, { ca: other.certPem }), /self.signed|unable to verify|certificate/i);
  // Trusting the right CA but asking for a name not in the SANs fails host verification.
  await assert.rejects(get(srv.port, { ca: caPair.certPem, servername: 'example.com', headers: { host: 'example.com' } }), /altnames|Hostname/i);
});
