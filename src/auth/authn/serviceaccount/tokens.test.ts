import assert from 'node:assert/strict';
import { it } from 'node:test';
import { generateKeyPairSync } from 'node:crypto';
import { FakeClock } from '../../../util/clock.js';
import { ServiceAccountTokens } from './tokens.js';

function key(): string {
  return generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
}

it('service account tokens: verify until expiry, only for the issuer, audience and key that made them', async () => {
  const clock = new FakeClock(Date.parse('2026-01-01T00:00:00Z'));
  const pem = key();
  const t = new ServiceAccountTokens({ keyPem: pem, issuer: 'https://oidc.example/id/1', clock });
  const { token, expiresAt } = await t.issue({ namespace: 'ns', serviceAccountName: 'sa', serviceAccountUid: 'u1', audiences: ['sts.amazonaws.com'], expirationSeconds: 600, bound: { kind: 'Pod', name: 'p', uid: 'pu' } });
  assert.equal(expiresAt, Date.parse('2026-01-01T00:10:00Z') / 1000);
  const v = await t.verify(token, 'sts.amazonaws.com');
  assert.equal(v?.subject, 'system:serviceaccount:ns:sa');
  assert.deepEqual(v?.k8s.pod, { name: 'p', uid: 'pu' });
  assert.equal(await t.verify(token, 'https://kubernetes.default.svc'), null, 'other audience');
  const other = new ServiceAccountTokens({ keyPem: key(), issuer: 'https://oidc.example/id/1', clock });
  assert.equal(await other.verify(token, 'sts.amazonaws.com'), null, 'other key');
  const otherIssuer = new ServiceAccountTokens({ keyPem: pem, issuer: 'https://elsewhere', clock });
  assert.equal(await otherIssuer.verify(token, 'sts.amazonaws.com'), null, 'other issuer');
  clock.step(601_000);
  assert.equal(await t.verify(token, 'sts.amazonaws.com'), null, 'expired');
  const jwks = await t.jwks();
  assert.equal(jwks.keys[0].alg, 'ES256');
  assert.ok(jwks.keys[0].kid);
});
