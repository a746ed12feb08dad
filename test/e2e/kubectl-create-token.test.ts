// Service-account tokens through the real kubectl: `kubectl create token` returns a JWT this
// cluster signed (issuer, subject, audience, expiry as requested); the API server accepts it as
// system:serviceaccount:<ns>:<name> until the service account (or the bound pod) is gone; a
// tampered token, a too-short duration and a missing bound object are refused as upstream does.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestKeks, type TestKeks } from '../../src/testing/harness.js';
import { ApiClient } from '../helpers/api.js';
import { Kubectl, kubectlSkip } from '../helpers/kubectl.js';

function claims(jwt: string): Record<string, any> {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
}

describe('kubectl create token against keks', { skip: kubectlSkip }, () => {
  let tk: TestKeks;
  let k: Kubectl;
  let api: ApiClient;

  before(async () => {
    tk = await startTestKeks({ store: 'memory', controllers: [] });
    k = new Kubectl(tk.kubeconfig);
    api = new ApiClient({ endpoint: tk.endpoint, caPem: tk.caPem, auth: { kind: 'none' } });
    await k.ok(['create', 'serviceaccount', 'bot']);
  });
  after(async () => { await tk?.stop(); });

  it('issues a signed token that authenticates as the service account until it is deleted', async () => {
    const token = (await k.ok(['create', 'token', 'bot', '--duration', '2h', '--audience', 'https://kubernetes.default.svc', '--audience', 'extra'])).trim();
    const c = claims(token);
    assert.equal(c.sub, 'system:serviceaccount:default:bot');
    // keks start's cluster is an EKS cluster: its tokens' issuer is the cluster's OIDC issuer URL.
    assert.match(c.iss, /^https:\/\/oidc\.eks\.us-east-1\.amazonaws\.com\/id\/[0-9A-F]{32}$/);
    assert.deepEqual(c.aud, ['https://kubernetes.default.svc', 'extra']);
    assert.equal(c.exp - c.iat, 7200);
    assert.equal(c['kubernetes.io'].serviceaccount.name, 'bot');
    const sa = JSON.parse(await k.ok(['get', 'sa', 'bot', '-o', 'json']));
    assert.equal(c['kubernetes.io'].serviceaccount.uid, sa.metadata.uid);

    // Authenticated (so not 401) but holds no rights: RBAC's 403 names the service account user.
    const r = await api.request('/api/v1/namespaces/default/pods', { auth: { kind: 'token', token } });
    assert.equal(r.status, 403, r.text);
    assert.match(r.json().message, /User "system:serviceaccount:default:bot" cannot list resource "pods"/);

    const [h, p, s] = token.split('.');
    const forged = [h, Buffer.from(JSON.stringify({ ...c, sub: 'system:serviceaccount:kube-system:admin' })).toString('base64url'), s].join('.');
    assert.equal((await api.request('/api/v1/namespaces', { auth: { kind: 'token', token: forged } })).status, 401);
    assert.equal((await api.request('/api/v1/namespaces', { auth: { kind: 'token', token: `${h}.${p}.${s.slice(0, -4)}AAAA` } })).status, 401);

    await k.ok(['delete', 'serviceaccount', 'bot']);
    assert.equal((await api.request('/api/v1/namespaces/default/pods', { auth: { kind: 'token', token } })).status, 401);
    await k.ok(['create', 'serviceaccount', 'bot']);
    assert.equal((await api.request('/api/v1/namespaces/default/pods', { auth: { kind: 'token', token } })).status, 401, 'a re-created account has a new uid');
  });

  it('refuses durations under 10 minutes, missing accounts and missing bound objects', async () => {
    const short = await k.run(['create', 'token', 'bot', '--duration', '5m']);
    assert.notEqual(short.code, 0);
    assert.match(short.stderr, /TokenRequest.authentication.k8s.io "bot" is invalid: spec.expirationSeconds: Invalid value: 300: may not specify a duration less than 10 minutes/);
    const missing = await k.run(['create', 'token', 'nobody']);
    assert.match(missing.stderr, /serviceaccounts "nobody" not found/);
    const unbound = await k.run(['create', 'token', 'bot', '--bound-object-kind', 'Pod', '--bound-object-name', 'ghost']);
    assert.match(unbound.stderr, /pods "ghost" not found/);
  });

  it('serves the issuer discovery document and its keys', async () => {
    const admin = { kind: 'token' as const, token: tk.token };
    const doc = (await api.request('/.well-known/openid-configuration', { auth: admin })).json();
    assert.match(doc.issuer, /^https:\/\/oidc\.eks\.us-east-1\.amazonaws\.com\/id\/[0-9A-F]{32}$/);
    assert.match(doc.jwks_uri, /\/openid\/v1\/jwks$/);
    const jwks = (await api.request('/openid/v1/jwks', { auth: admin })).json();
    assert.equal(jwks.keys.length, 1);
    assert.equal(jwks.keys[0].kty, 'EC');
  });
});
