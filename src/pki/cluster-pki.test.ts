import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FakeClock } from '../util/clock.js';
import { DEFAULT_SERVING_SANS, PKI_FILES, coversSans, loadOrCreateClusterPki } from './cluster-pki.js';
import { createCa } from './issue.js';

const DAY = 24 * 60 * 60 * 1000;

function tmpDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'keks-pki-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return path.join(dir, 'pki');
}

function readAll(dir: string): Record<string, string> {
  return Object.fromEntries(Object.values(PKI_FILES).map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]));
}

test('first start creates the six files with private keys 0600 and no temp files left', async (t) => {
  const dir = tmpDir(t);
  const pki = await loadOrCreateClusterPki({ dir, clusterName: 'demo' });
  assert.deepEqual(pki.issued, ['ca', 'serving', 'admin']);
  assert.deepEqual(readdirSync(dir).sort(), Object.values(PKI_FILES).sort());
  for (const key of [PKI_FILES.caKey, PKI_FILES.servingKey, PKI_FILES.adminKey]) {
    assert.equal(statSync(path.join(dir, key)).mode & 0o777, 0o600, key);
  }
  for (const crt of [PKI_FILES.caCert, PKI_FILES.servingCert, PKI_FILES.adminCert]) {
    assert.equal(statSync(path.join(dir, crt)).mode & 0o022, 0, `${crt} not group/world writable`);
  }
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  assert.equal(readFileSync(path.join(dir, PKI_FILES.caCert), 'utf8'), pki.ca.certPem);
  assert.equal(readFileSync(path.join(dir, PKI_FILES.adminKey), 'utf8'), pki.admin.keyPem);
});

test('CA: CN kubernetes, self-signed, CA:TRUE, ~10 years', async (t) => {
  const pki = await loadOrCreateClusterPki({ dir: tmpDir(t), clusterName: 'demo' });
  const ca = new X509Certificate(pki.ca.certPem);
  assert.equal(ca.subject, 'CN=kubernetes');
  assert.equal(ca.issuer, 'CN=kubernetes');
  assert.equal(ca.ca, true);
  assert.ok(ca.verify(ca.publicKey));
  const years = (Date.parse(ca.validTo) - Date.now()) / (365 * DAY);
  assert.ok(years > 9.9 && years < 10.1, `CA validity ${years} years`);
  assert.equal(ca.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
  const sn = ca.serialNumber;
  assert.ok(parseInt(sn.slice(0, 2), 16) < 0x80, 'serial is positive');
});

test('second start reuses every file byte for byte and issues nothing', async (t) => {
  const dir = tmpDir(t);
  await loadOrCreateClusterPki({ dir, clusterName: 'demo' });
  const before = readAll(dir);
  const t0 = performance.now();
  const again = await loadOrCreateClusterPki({ dir, clusterName: 'demo' });
  const warmMs = performance.now() - t0;
  assert.deepEqual(again.issued, []);
  assert.deepEqual(readAll(dir), before);
  assert.equal(again.ca.certPem, before[PKI_FILES.caCert]);
  assert.equal(again.ca.keyPem, before[PKI_FILES.caKey]);
  assert.ok(warmMs < 100, `warm load took ${warmMs.toFixed(1)} ms`);
});

test('serving cert is signed by the CA, serverAuth, and has every default SAN', async (t) => {
  const pki = await loadOrCreateClusterPki({ dir: tmpDir(t), clusterName: 'demo' });
  const ca = new X509Certificate(pki.ca.certPem);
  const serving = new X509Certificate(pki.serving.certPem);
  assert.ok(serving.checkIssued(ca));
  assert.ok(serving.verify(ca.publicKey));
  assert.equal(serving.ca, false);
  assert.deepEqual(serving.toLegacyObject().ext_key_usage, ['1.3.6.1.5.5.7.3.1']);
  assert.equal(serving.checkIP('127.0.0.1'), '127.0.0.1');
  assert.equal(serving.checkIP('::1'), '::1');
  for (const host of ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local']) {
    assert.equal(serving.checkHost(host, { subject: 'never' }), host);
  }
  assert.equal(serving.checkHost('example.com', { subject: 'never' }), undefined);
  assert.ok(coversSans(pki.serving.certPem, DEFAULT_SERVING_SANS));
  assert.ok(serving.checkPrivateKey((await import('node:crypto')).createPrivateKey(pki.serving.keyPem)));
});

test('admin cert: CN kubernetes-admin, O system:masters, clientAuth, signed by the CA', async (t) => {
  const pki = await loadOrCreateClusterPki({ dir: tmpDir(t), clusterName: 'demo' });
  const admin = new X509Certificate(pki.admin.certPem);
  assert.ok(admin.verify(new X509Certificate(pki.ca.certPem).publicKey));
  const legacy = admin.toLegacyObject();
  assert.equal(legacy.subject.CN, 'kubernetes-admin');
  assert.equal(legacy.subject.O, 'system:masters');
  assert.deepEqual(legacy.ext_key_usage, ['1.3.6.1.5.5.7.3.2']);
});

test('new extra SANs reissue only the serving cert; the CA and admin cert stay', async (t) => {
  const dir = tmpDir(t);
  await loadOrCreateClusterPki({ dir, clusterName: 'demo' });
  const before = readAll(dir);
  const pki = await loadOrCreateClusterPki({ dir, clusterName: 'demo', extraSans: ['abc.gr7.us-east-1.eks.localhost', '10.96.0.1'] });
  assert.deepEqual(pki.issued, ['serving']);
  const after = readAll(dir);
  assert.equal(after[PKI_FILES.caCert], before[PKI_FILES.caCert]);
  assert.equal(after[PKI_FILES.caKey], before[PKI_FILES.caKey]);
  assert.equal(after[PKI_FILES.adminCert], before[PKI_FILES.adminCert]);
  assert.notEqual(after[PKI_FILES.servingCert], before[PKI_FILES.servingCert]);
  const serving = new X509Certificate(pki.serving.certPem);
  assert.equal(serving.checkHost('abc.gr7.us-east-1.eks.localhost', { subject: 'never' }), 'abc.gr7.us-east-1.eks.localhost');
  assert.equal(serving.checkIP('10.96.0.1'), '10.96.0.1');
  assert.equal(serving.checkIP('127.0.0.1'), '127.0.0.1');
  // Asking again for the same (or fewer) SANs keeps it.
  assert.deepEqual((await loadOrCreateClusterPki({ dir, clusterName: 'demo', extraSans: ['10.96.0.1'] })).issued, []);
});

test('leaves expiring within 30 days are reissued; the CA is kept', async (t) => {
  const dir = tmpDir(t);
  const clock = new FakeClock(Date.now());
  const first = await loadOrCreateClusterPki({ dir, clusterName: 'demo', clock });
  clock.step(330 * DAY);
  assert.deepEqual((await loadOrCreateClusterPki({ dir, clusterName: 'demo', clock })).issued, []);
  clock.step(10 * DAY); // 340 days in: 25 days left on the 365-day leaves
  const renewed = await loadOrCreateClusterPki({ dir, clusterName: 'demo', clock });
  assert.deepEqual(renewed.issued, ['serving', 'admin']);
  assert.equal(renewed.ca.certPem, first.ca.certPem);
  const serving = new X509Certificate(renewed.serving.certPem);
  assert.ok(Date.parse(serving.validTo) > clock.now() + 360 * DAY);
});

test('a leaf not signed by the CA or not matching its key is reissued', async (t) => {
  const dir = tmpDir(t);
  const first = await loadOrCreateClusterPki({ dir, clusterName: 'demo' });
  const foreign = await createCa({ commonName: 'someone-else' });
  writeFileSync(path.join(dir, PKI_FILES.servingCert), foreign.certPem);
  writeFileSync(path.join(dir, PKI_FILES.adminKey), foreign.keyPem);
  const pki = await loadOrCreateClusterPki({ dir, clusterName: 'demo' });
  assert.deepEqual(pki.issued, ['serving', 'admin']);
  assert.equal(pki.ca.certPem, first.ca.certPem);
});

test('ca.crt without ca.key, or with a different key, is an error: the CA is never replaced', async (t) => {
  const dir = tmpDir(t);
  const first = await loadOrCreateClusterPki({ dir, clusterName: 'demo' });
  const other = await createCa();
  writeFileSync(path.join(dir, PKI_FILES.caKey), other.keyPem);
  await assert.rejects(loadOrCreateClusterPki({ dir, clusterName: 'demo' }), /does not match.*refusing to replace the cluster CA/);
  unlinkSync(path.join(dir, PKI_FILES.caKey));
  await assert.rejects(loadOrCreateClusterPki({ dir, clusterName: 'demo' }), /ca\.key is missing; refusing/);
  assert.equal(readFileSync(path.join(dir, PKI_FILES.caCert), 'utf8'), first.ca.certPem);
});

test('ca.key without ca.crt (crash during first creation) starts a fresh CA', async (t) => {
  const dir = tmpDir(t);
  await loadOrCreateClusterPki({ dir, clusterName: 'demo' });
  const oldKey = readFileSync(path.join(dir, PKI_FILES.caKey), 'utf8');
  unlinkSync(path.join(dir, PKI_FILES.caCert));
  const pki = await loadOrCreateClusterPki({ dir, clusterName: 'demo' });
  assert.deepEqual(pki.issued, ['ca', 'serving', 'admin']);
  assert.notEqual(pki.ca.keyPem, oldKey);
  assert.ok(new X509Certificate(pki.serving.certPem).verify(new X509Certificate(pki.ca.certPem).publicKey));
});

test('concurrent first starts for one directory create a single CA', async (t) => {
  const dir = tmpDir(t);
  const results = await Promise.all([1, 2, 3].map(() => loadOrCreateClusterPki({ dir, clusterName: 'demo' })));
  assert.deepEqual(results.map((r) => r.issued.length), [3, 0, 0]);
  const onDisk = readFileSync(path.join(dir, PKI_FILES.caCert), 'utf8');
  for (const r of results) assert.equal(r.ca.certPem, onDisk);
});
