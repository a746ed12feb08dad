import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '../util/clock.js';
import { createCa, issueClientCert, issueServingCert, preloadIssuer } from './issue.js';

test('serving cert: custom CN, DNS and IPv4/IPv6 SANs, serverAuth only, CA:FALSE, key matches', async () => {
  preloadIssuer();
  const ca = await createCa();
  const s = await issueServingCert(ca, { commonName: 'my-apiserver', sans: ['10.0.0.1', 'fd00::10', 'api.internal'] });
  const x = new X509Certificate(s.certPem);
  assert.equal(x.subject, 'CN=my-apiserver');
  assert.equal(x.issuer, 'CN=kubernetes');
  assert.equal(x.ca, false);
  assert.equal(x.checkIP('10.0.0.1'), '10.0.0.1');
  assert.equal(x.checkIP('fd00::10'), 'fd00::10');
  assert.equal(x.checkHost('api.internal', { subject: 'never' }), 'api.internal');
  assert.equal(x.checkIP('127.0.0.1'), undefined);
  assert.deepEqual(x.toLegacyObject().ext_key_usage, ['1.3.6.1.5.5.7.3.1']);
  assert.ok(x.checkPrivateKey(createPrivateKey(s.keyPem)));
  assert.match(s.keyPem, /^-----BEGIN PRIVATE KEY-----\n(?:[A-Za-z0-9+/=]{1,64}\n)+-----END PRIVATE KEY-----\n$/);
  assert.match(s.certPem, /-----END CERTIFICATE-----\n$/);
});

test('validity follows the injected clock, backdated 5 minutes', async () => {
  const clock = new FakeClock(Date.UTC(2030, 5, 1, 12, 0, 0));
  const ca = await createCa({ clock });
  const c = await issueClientCert(ca, { commonName: 'u', validityDays: 30, clock });
  const x = new X509Certificate(c.certPem);
  assert.equal(Date.parse(x.validFrom), Date.UTC(2030, 5, 1, 11, 55, 0));
  assert.equal(Date.parse(x.validTo), Date.UTC(2030, 6, 1, 12, 0, 0));
  const cax = new X509Certificate(ca.certPem);
  assert.equal(Date.parse(cax.validTo), Date.UTC(2030, 5, 1, 12, 0, 0) + 3650 * 86_400_000);
});

test('serial numbers are positive, 16 bytes and unique', async () => {
  const ca = await createCa();
  const serials = new Set<string>();
  for (let i = 0; i < 5; i++) {
    const sn = new X509Certificate((await issueClientCert(ca, { commonName: `u${i}` })).certPem).serialNumber;
    assert.equal(sn.length, 32);
    assert.ok(parseInt(sn.slice(0, 2), 16) < 0x80);
    serials.add(sn);
  }
  assert.equal(serials.size, 5);
});

test('a CA with an RSA key (e.g. brought from kubeadm) can issue too', async () => {
  // An RSA CA made by openssl, as kubeadm-era clusters have them.
  const dir = mkdtempSync(join(tmpdir(), 'keks-rsa-ca-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'ca.key'), '-out', join(dir, 'ca.crt'),
      '-subj', '/CN=kubernetes', '-days', '2', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign'], { stdio: 'ignore' });
    const ca = { certPem: readFileSync(join(dir, 'ca.crt'), 'utf8'), keyPem: readFileSync(join(dir, 'ca.key'), 'utf8') };
    const c = await issueClientCert(ca, { commonName: 'alice', organizations: ['devs'] });
    const x = new X509Certificate(c.certPem);
    assert.ok(x.verify(new X509Certificate(ca.certPem).publicKey), 'signed by the RSA CA');
    assert.equal(x.issuer, 'CN=kubernetes');
    assert.equal(x.subject, 'O=devs\nCN=alice');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('issueClientCert requires a common name', async () => {
  await assert.rejects(issueClientCert(await createCa(), { commonName: '' }), /commonName is required/);
});
