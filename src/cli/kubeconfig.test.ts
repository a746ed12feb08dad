import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { mergeKubeconfig, removeKubeconfigEntries, renderKubeconfig, resolveKubeconfigPath } from './kubeconfig.js';
import type { KubeconfigEntry } from './kubeconfig.js';

interface Named { name: string; [k: string]: unknown }
interface Kubeconfig {
  apiVersion: string;
  kind: string;
  clusters: Array<Named & { cluster: Record<string, unknown> }>;
  users: Array<Named & { user: Record<string, unknown> }>;
  contexts: Array<Named & { context: Record<string, unknown> }>;
  'current-context': string;
  preferences?: unknown;
}

const ARN = 'arn:aws:eks:us-east-1:000000000000:cluster/demo';
const entry = (over: Partial<KubeconfigEntry> = {}): KubeconfigEntry => ({
  clusterName: ARN,
  contextName: ARN,
  userName: ARN,
  server: 'https://127.0.0.1:6443',
  caPem: '-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n',
  clientCertPem: '-----BEGIN CERTIFICATE-----\nCLIENT\n-----END CERTIFICATE-----\n',
  clientKeyPem: '-----BEGIN PRIVATE KEY-----\nKEY\n-----END PRIVATE KEY-----\n',
  ...over,
});
const b64 = (s: string): string => Buffer.from(s).toString('base64');

const EXISTING = `# my clusters
apiVersion: v1
kind: Config
clusters:
- cluster:
    server: https://prod.example.com
    certificate-authority: /etc/prod-ca.crt
    proxy-url: http://proxy:3128
  name: prod
contexts:
- context:
    cluster: prod
    user: prod-user
    namespace: payments # keep me
  name: prod
current-context: prod
preferences:
  colors: true
users:
- name: prod-user
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: aws
      args: [eks, get-token, --cluster-name, prod]
extensions:
- name: something
  extension: {a: 1}
`;

function tmp(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'keks-kubeconfig-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const load = (file: string): Kubeconfig => parse(readFileSync(file, 'utf8')) as Kubeconfig;

test('renderKubeconfig: a standalone config with embedded base64 data and the context current', () => {
  const cfg = parse(renderKubeconfig(entry())) as Kubeconfig;
  assert.equal(cfg.apiVersion, 'v1');
  assert.equal(cfg.kind, 'Config');
  assert.equal(cfg['current-context'], ARN);
  assert.deepEqual(cfg.clusters, [{ name: ARN, cluster: { server: 'https://127.0.0.1:6443', 'certificate-authority-data': b64(entry().caPem) } }]);
  assert.deepEqual(cfg.users, [{ name: ARN, user: { 'client-certificate-data': b64(entry().clientCertPem), 'client-key-data': b64(entry().clientKeyPem) } }]);
  assert.deepEqual(cfg.contexts, [{ name: ARN, context: { cluster: ARN, user: ARN } }]);
});

test('merge creates ~/.kube/config (dir 0700, file 0600) when missing', async (t) => {
  const dir = tmp(t);
  const file = path.join(dir, 'home', '.kube', 'config');
  const written = await mergeKubeconfig({ ...entry(), path: file, setCurrentContext: true });
  assert.equal(written, file);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.equal(statSync(path.dirname(file)).mode & 0o777, 0o700);
  const cfg = load(file);
  assert.equal(cfg['current-context'], ARN);
  assert.equal(cfg.clusters.length, 1);
  assert.deepEqual(readdirSync(path.dirname(file)), ['config'], 'no temp or lock file left behind');
});

test('merge into a file with other entries keeps every other entry, field and comment', async (t) => {
  const file = path.join(tmp(t), 'config');
  writeFileSync(file, EXISTING, { mode: 0o644 });
  await mergeKubeconfig({ ...entry(), path: file, setCurrentContext: false });
  const text = readFileSync(file, 'utf8');
  assert.match(text, /# my clusters/);
  assert.match(text, /# keep me/);
  const cfg = load(file) as Kubeconfig & { extensions: unknown };
  assert.equal(cfg['current-context'], 'prod', 'current context untouched when not asked');
  assert.deepEqual(cfg.clusters.map((c) => c.name), ['prod', ARN]);
  assert.deepEqual(cfg.clusters[0]!.cluster, { server: 'https://prod.example.com', 'certificate-authority': '/etc/prod-ca.crt', 'proxy-url': 'http://proxy:3128' });
  assert.deepEqual(cfg.users.map((u) => u.name), ['prod-user', ARN]);
  assert.deepEqual((cfg.users[0]!.user.exec as { args: string[] }).args, ['eks', 'get-token', '--cluster-name', 'prod']);
  assert.deepEqual(cfg.contexts[0]!.context, { cluster: 'prod', user: 'prod-user', namespace: 'payments' });
  assert.deepEqual(cfg.preferences, { colors: true });
  assert.deepEqual(cfg.extensions, [{ name: 'something', extension: { a: 1 } }]);
  assert.equal(statSync(file).mode & 0o777, 0o600, 'rewritten with mode 0600');

  await mergeKubeconfig({ ...entry(), path: file, setCurrentContext: true });
  assert.equal(load(file)['current-context'], ARN);
});

test('re-merging replaces the entry instead of adding a second one', async (t) => {
  const file = path.join(tmp(t), 'config');
  writeFileSync(file, EXISTING);
  await mergeKubeconfig({ ...entry(), path: file });
  await mergeKubeconfig({ ...entry({ server: 'https://127.0.0.1:7443', caPem: 'NEWCA', clientCertPem: 'NEWCERT', clientKeyPem: 'NEWKEY' }), path: file });
  const cfg = load(file);
  assert.equal(cfg.clusters.filter((c) => c.name === ARN).length, 1);
  assert.equal(cfg.users.filter((c) => c.name === ARN).length, 1);
  assert.equal(cfg.contexts.filter((c) => c.name === ARN).length, 1);
  assert.deepEqual(cfg.clusters[1]!.cluster, { 'certificate-authority-data': b64('NEWCA'), server: 'https://127.0.0.1:7443' });
  assert.deepEqual(cfg.users[1]!.user, { 'client-certificate-data': b64('NEWCERT'), 'client-key-data': b64('NEWKEY') });
});

test('merging over a same-named entry drops conflicting credentials but keeps unrelated fields', async (t) => {
  const file = path.join(tmp(t), 'config');
  writeFileSync(file, EXISTING);
  await mergeKubeconfig({ ...entry({ clusterName: 'prod', userName: 'prod-user', contextName: 'prod' }), path: file });
  const cfg = load(file);
  assert.deepEqual(cfg.clusters[0]!.cluster, { server: 'https://127.0.0.1:6443', 'proxy-url': 'http://proxy:3128', 'certificate-authority-data': b64(entry().caPem) });
  assert.deepEqual(cfg.users[0]!.user, { 'client-certificate-data': b64(entry().clientCertPem), 'client-key-data': b64(entry().clientKeyPem) });
  assert.deepEqual(cfg.contexts[0]!.context, { cluster: 'prod', user: 'prod-user', namespace: 'payments' });
  assert.equal(cfg.clusters.length, 1);
});

test('kubectl-style empty lists (clusters: null) and an empty file are accepted', async (t) => {
  const dir = tmp(t);
  const a = path.join(dir, 'a');
  writeFileSync(a, 'apiVersion: v1\nclusters: null\ncontexts: null\ncurrent-context: ""\nkind: Config\npreferences: {}\nusers: null\n');
  await mergeKubeconfig({ ...entry(), path: a });
  assert.equal(load(a).clusters.length, 1);
  const b = path.join(dir, 'b');
  writeFileSync(b, '');
  await mergeKubeconfig({ ...entry(), path: b });
  assert.equal(load(b).kind, 'Config');
});

test('invalid YAML or a non-kubeconfig is refused and left untouched', async (t) => {
  const dir = tmp(t);
  const bad = path.join(dir, 'bad');
  writeFileSync(bad, 'clusters: [unclosed\n');
  await assert.rejects(mergeKubeconfig({ ...entry(), path: bad }), /not valid YAML/);
  assert.equal(readFileSync(bad, 'utf8'), 'clusters: [unclosed\n');
  const list = path.join(dir, 'list');
  writeFileSync(list, '- a\n- b\n');
  await assert.rejects(mergeKubeconfig({ ...entry(), path: list }), /not a kubeconfig/);
  const weird = path.join(dir, 'weird');
  writeFileSync(weird, 'clusters: 3\n');
  await assert.rejects(mergeKubeconfig({ ...entry(), path: weird }), /"clusters" is not a list/);
});

test('a symlinked kubeconfig is updated through the link', async (t) => {
  const dir = tmp(t);
  const real = path.join(dir, 'dotfiles-kubeconfig');
  writeFileSync(real, EXISTING);
  const link = path.join(dir, 'config');
  symlinkSync(real, link);
  await mergeKubeconfig({ ...entry(), path: link });
  assert.ok(statSync(link).isFile());
  assert.equal((await import('node:fs')).lstatSync(link).isSymbolicLink(), true);
  assert.equal(load(real).clusters.length, 2);
});

test('a held kubectl lock file makes the merge wait, then fail with a clear message', async (t) => {
  const file = path.join(tmp(t), 'config');
  writeFileSync(file, EXISTING);
  writeFileSync(`${file}.lock`, '');
  const started = Date.now();
  await assert.rejects(mergeKubeconfig({ ...entry(), path: file }), /locked by .*config\.lock/);
  assert.ok(Date.now() - started >= 1500);
  assert.equal(readFileSync(file, 'utf8'), EXISTING);
});

test('removeKubeconfigEntries removes the three entries, clears current-context, keeps the rest', async (t) => {
  const file = path.join(tmp(t), 'config');
  writeFileSync(file, EXISTING);
  await mergeKubeconfig({ ...entry(), path: file, setCurrentContext: true });
  const n = await removeKubeconfigEntries({ path: file, clusterName: ARN, contextName: ARN, userName: ARN });
  assert.equal(n, 3);
  const cfg = load(file);
  assert.deepEqual(cfg.clusters.map((c) => c.name), ['prod']);
  assert.deepEqual(cfg.users.map((c) => c.name), ['prod-user']);
  assert.deepEqual(cfg.contexts.map((c) => c.name), ['prod']);
  assert.equal(cfg['current-context'], '');
  assert.match(readFileSync(file, 'utf8'), /# keep me/);
  // Removing again changes nothing; a missing file stays missing.
  const before = readFileSync(file, 'utf8');
  assert.equal(await removeKubeconfigEntries({ path: file, clusterName: ARN, contextName: ARN, userName: ARN }), 0);
  assert.equal(readFileSync(file, 'utf8'), before);
  const missing = path.join(path.dirname(file), 'nope', 'config');
  assert.equal(await removeKubeconfigEntries({ path: missing, clusterName: ARN }), 0);
  assert.equal(existsSync(path.dirname(missing)), false, 'nothing created for a missing file');
});

test('removing a context that is not current leaves current-context alone', async (t) => {
  const file = path.join(tmp(t), 'config');
  writeFileSync(file, EXISTING);
  await mergeKubeconfig({ ...entry(), path: file });
  await removeKubeconfigEntries({ path: file, contextName: ARN });
  assert.equal(load(file)['current-context'], 'prod');
});

test('resolveKubeconfigPath follows aws eks update-kubeconfig', async (t) => {
  const dir = tmp(t);
  const home = path.join(dir, 'home');
  assert.equal(await resolveKubeconfigPath({ env: {}, homeDir: home }), path.join(home, '.kube', 'config'));
  assert.equal(await resolveKubeconfigPath({ explicit: '/x/y', env: { KUBECONFIG: '/a' } }), '/x/y');
  const a = path.join(dir, 'a');
  const b = path.join(dir, 'b');
  mkdirSync(dir, { recursive: true });
  writeFileSync(b, renderKubeconfig(entry()));
  const env = { KUBECONFIG: [a, b].join(path.delimiter) };
  assert.equal(await resolveKubeconfigPath({ env, clusterName: ARN }), b, 'the file already holding the cluster');
  assert.equal(await resolveKubeconfigPath({ env, clusterName: 'other' }), a, 'else the first entry');
  assert.equal(await resolveKubeconfigPath({ env: { KUBECONFIG: `${path.delimiter}${a}` } }), a, 'empty entries skipped');
});
