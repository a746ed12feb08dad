// The real kubectl against an HTTPS server that uses a cluster PKI from src/pki and a kubeconfig
// from renderKubeconfig: proves kubectl trusts the generated CA (and the serving cert's SANs) and
// presents the admin client certificate (the server checks it verified and reads CN/O from it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import { loadOrCreateClusterPki } from '../../src/pki/cluster-pki.js';
import { identityFromTlsSocket } from '../../src/pki/identity.js';
import type { X509Identity } from '../../src/pki/types.js';
import { mergeKubeconfig, renderKubeconfig } from '../../src/cli/kubeconfig.js';

const VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.4',
  gitCommit: 'x',
  gitTreeState: 'clean',
  buildDate: '2025-01-01T00:00:00Z',
  goVersion: 'go1.23',
  compiler: 'gc',
  platform: 'linux/amd64',
};

const haveKubectl = spawnSync('kubectl', ['version', '--client', '-o', 'json'], { timeout: 20_000 }).status === 0;

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { env, timeout: 30_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

test('kubectl version -o json through a generated PKI and kubeconfig', { skip: haveKubectl ? false : 'kubectl not on PATH' }, async (t) => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'keks-kubectl-'));
  t.after(() => rmSync(tmp, { recursive: true, force: true }));
  const pki = await loadOrCreateClusterPki({ dir: path.join(tmp, 'pki'), clusterName: 'demo' });

  const seen: Array<{ path: string; identity: X509Identity | null }> = [];
  const server = https.createServer(
    { cert: pki.serving.certPem, key: pki.serving.keyPem, ca: pki.ca.certPem, requestCert: true, rejectUnauthorized: false },
    (req, res) => {
      seen.push({ path: req.url ?? '', identity: identityFromTlsSocket(req.socket as TLSSocket) });
      if (req.url?.split('?')[0] === '/version') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(VERSION));
        return;
      }
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 }));
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));
  const port = (server.address() as AddressInfo).port;

  const kubeconfig = path.join(tmp, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    renderKubeconfig({
      clusterName: 'arn:aws:eks:us-east-1:000000000000:cluster/demo',
      contextName: 'arn:aws:eks:us-east-1:000000000000:cluster/demo',
      userName: 'arn:aws:eks:us-east-1:000000000000:cluster/demo',
      server: `https://127.0.0.1:${port}`,
      caPem: pki.ca.certPem,
      clientCertPem: pki.admin.certPem,
      clientKeyPem: pki.admin.keyPem,
    }),
    { mode: 0o600 },
  );

  // HOME points into tmp so kubectl's discovery/http caches do not touch the real ~/.kube.
  const env = { ...process.env, HOME: tmp, KUBECONFIG: '' };
  const r = await run('kubectl', ['--kubeconfig', kubeconfig, 'version', '-o', 'json'], env);
  assert.equal(r.code, 0, `kubectl failed: ${r.stderr}`);
  const out = JSON.parse(r.stdout) as { serverVersion?: typeof VERSION; clientVersion?: { gitVersion: string } };
  assert.deepEqual(out.serverVersion, VERSION);
  assert.match(out.clientVersion?.gitVersion ?? '', /^v1\.\d+/);

  const versionCalls = seen.filter((s) => s.path.startsWith('/version'));
  assert.ok(versionCalls.length >= 1, `server saw ${JSON.stringify(seen)}`);
  for (const call of versionCalls) {
    assert.deepEqual(call.identity, { username: 'kubernetes-admin', groups: ['system:masters'] });
  }
});

test('kubectl uses an entry merged into a kubeconfig that holds other clusters', { skip: haveKubectl ? false : 'kubectl not on PATH' }, async (t) => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'keks-kubectl-'));
  t.after(() => rmSync(tmp, { recursive: true, force: true }));
  const pki = await loadOrCreateClusterPki({ dir: path.join(tmp, 'pki'), clusterName: 'demo' });
  let clientCerts = 0;
  const server = https.createServer(
    { cert: pki.serving.certPem, key: pki.serving.keyPem, ca: pki.ca.certPem, requestCert: true, rejectUnauthorized: false },
    (req, res) => {
      if (identityFromTlsSocket(req.socket as TLSSocket)?.username === 'kubernetes-admin') clientCerts++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(VERSION));
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));
  const port = (server.address() as AddressInfo).port;

  const kubeconfig = path.join(tmp, '.kube', 'config');
  const other = renderKubeconfig({
    clusterName: 'other', contextName: 'other', userName: 'other', server: 'https://127.0.0.1:1',
    caPem: 'x', clientCertPem: 'y', clientKeyPem: 'z',
  });
  mkdirSync(path.dirname(kubeconfig), { recursive: true });
  writeFileSync(kubeconfig, other);
  await mergeKubeconfig({
    path: kubeconfig, clusterName: 'demo', contextName: 'demo-ctx', userName: 'demo-admin',
    server: `https://localhost:${port}`, caPem: pki.ca.certPem, clientCertPem: pki.admin.certPem, clientKeyPem: pki.admin.keyPem,
    setCurrentContext: true,
  });
  // Through the default location ($HOME/.kube/config), via the current context and the "localhost" SAN.
  const env = { ...process.env, HOME: tmp, KUBECONFIG: '' };
  const contexts = await run('kubectl', ['config', 'get-contexts', '-o', 'name'], env);
  assert.equal(contexts.code, 0, contexts.stderr);
  assert.deepEqual(contexts.stdout.trim().split('\n').sort(), ['demo-ctx', 'other']);
  const r = await run('kubectl', ['version', '-o', 'json'], env);
  assert.equal(r.code, 0, `kubectl failed: ${r.stderr}`);
  assert.equal((JSON.parse(r.stdout) as { serverVersion: { gitVersion: string } }).serverVersion.gitVersion, 'v1.32.4');
  assert.ok(clientCerts >= 1);
  // The other context still points at its own (unreachable) server: kubectl fails there, as it should.
  const o = await run('kubectl', ['--context', 'other', '--request-timeout', '2s', 'version', '-o', 'json'], env);
  assert.notEqual(o.code, 0);
});
