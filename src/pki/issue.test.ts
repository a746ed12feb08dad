import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey, webcrypto } from 'node:crypto';
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
  const lib = await import('@peculiar/x509');
  const alg = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const caCert = await lib.X509CertificateGenerator.createSelfSigned({
    name: 'CN=kubernetes',
    keys: keys as any,
    signingAlgorithm: alg as any,
    extensions: [new lib.BasicConstraintsExtension(true, undefined, true), new lib.KeyUsagesExtension(lib.KeyUsageFlags.keyCertSign, true)],
  });
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const keyPem = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }).export({ type: 'pkcs1', format: 'pem' }) as string;
  const ca = { certPem: caCert.toString('pem'), keyPem };
  const c = await issueClientCert(ca, { commonName: 'alice', organizations: ['devs'] });
  assert.ok(new X509Certificate(c.certPem).verify(new X509Certificate(ca.certPem).publicKey));
});

test('issueClientCert requires a common name', async () => {
  await assert.rejects(issueClientCert(await createCa(), { commonName: '' }), /commonName is required/);
});
