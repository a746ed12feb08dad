// RBAC through the real kubectl: users authenticated by client certificates (issued with the
// cluster CA) bound to view / edit / admin in one namespace; `kubectl auth can-i` answers (and
// exit codes) for each, `can-i --list`, `auth whoami`, a `create rolebinding` refused as an
// escalation, and `--as` impersonation.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestKeks, type TestKeks } from '../../src/testing/harness.js';
import { issueClientCert } from '../../src/pki/index.js';
import { renderKubeconfig } from '../../src/cli/kubeconfig.js';
import { Kubectl, kubectlSkip, tableRows } from '../helpers/kubectl.js';

const NS = 'team';

describe('kubectl auth against keks RBAC', { skip: kubectlSkip }, () => {
  let tk: TestKeks;
  let admin: Kubectl;
  const users: Record<string, Kubectl> = {};

  async function userKubectl(name: string, orgs: string[]): Promise<Kubectl> {
    const c = await issueClientCert(tk.cluster.pki.ca, { commonName: name, organizations: orgs });
    const file = join(tk.dataDir, `${name}.kubeconfig`);
    writeFileSync(file, renderKubeconfig({
      clusterName: 'keks', contextName: name, userName: name, server: tk.endpoint, caPem: tk.caPem, clientCertPem: c.certPem, clientKeyPem: c.keyPem,
    }), { mode: 0o600 });
    return new Kubectl(file);
  }

  before(async () => {
    tk = await startTestKeks({ store: 'memory', controllers: [] });
    admin = new Kubectl(tk.kubeconfig);
    await admin.ok(['create', 'namespace', NS]);
    for (const [name, role] of [['viewer', 'view'], ['editor', 'edit'], ['nsadmin', 'admin']] as const) {
      users[name] = await userKubectl(name, ['devs']);
      await admin.ok(['create', 'rolebinding', `${name}-${role}`, `--clusterrole=${role}`, `--user=${name}`, '-n', NS]);
    }
  });
  after(async () => { await tk?.stop(); });

  /** `kubectl auth can-i` prints yes/no and exits 0/1. */
  async function canI(k: Kubectl, ...args: string[]): Promise<boolean> {
    const r = await k.run(['auth', 'can-i', ...args]);
    const answer = r.stdout.trim();
    assert.ok(answer === 'yes' || answer === 'no', `can-i ${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.equal(r.code, answer === 'yes' ? 0 : 1);
    return answer === 'yes';
  }

  it('can-i matrix for view, edit and admin in their namespace', async () => {
    const matrix: Array<[string[], Record<string, boolean>]> = [
      [['get', 'pods'], { viewer: true, editor: true, nsadmin: true }],
      [['list', 'deployments.apps'], { viewer: true, editor: true, nsadmin: true }],
      [['get', 'secrets'], { viewer: false, editor: true, nsadmin: true }],
      [['create', 'pods'], { viewer: false, editor: true, nsadmin: true }],
      [['delete', 'deployments'], { viewer: false, editor: true, nsadmin: true }],
      [['create', 'pods/exec'], { viewer: false, editor: true, nsadmin: true }],
      [['create', 'rolebindings'], { viewer: false, editor: false, nsadmin: true }],
      [['create', 'localsubjectaccessreviews'], { viewer: false, editor: false, nsadmin: true }],
    ];
    for (const [args, want] of matrix) {
      for (const [user, expected] of Object.entries(want)) {
        assert.equal(await canI(users[user], ...args, '-n', NS), expected, `${user} can-i ${args.join(' ')}`);
      }
    }
    // Nothing outside the namespace, nothing cluster-scoped.
    for (const user of ['viewer', 'editor', 'nsadmin']) {
      assert.equal(await canI(users[user], 'get', 'pods', '-n', 'default'), false, `${user} in default`);
      assert.equal(await canI(users[user], 'list', 'nodes'), false, `${user} nodes`);
    }
    assert.equal(await canI(admin, '*', '*', '--all-namespaces'), true);
  });

  it('whoami prints the certificate identity', async () => {
    assert.deepEqual(tableRows(await users.viewer.ok(['auth', 'whoami'])), [['ATTRIBUTE', 'VALUE'], ['Username', 'viewer'], ['Groups', '[devs', 'system:authenticated]']]);
    const admin_ = JSON.parse(await admin.ok(['auth', 'whoami', '-o', 'json']));
    assert.deepEqual(admin_, {
      kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1', metadata: { creationTimestamp: null },
      status: { userInfo: { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] } },
    });
  });

  it('can-i --list shows the bound rules', async () => {
    const rows = tableRows(await users.viewer.ok(['auth', 'can-i', '--list', '-n', NS]));
    assert.deepEqual(rows[0], ['Resources', 'Non-Resource', 'URLs', 'Resource', 'Names', 'Verbs']);
    const pods = rows.find((r) => r[0] === 'pods');
    assert.deepEqual(pods, ['pods', '[]', '[]', '[get', 'list', 'watch]']);
    assert.ok(rows.some((r) => r[0] === 'selfsubjectaccessreviews.authorization.k8s.io'));
    assert.ok(!rows.some((r) => r[0] === 'secrets'));
    const adminRows = tableRows(await admin.ok(['auth', 'can-i', '--list']));
    assert.deepEqual(adminRows[1], ['*.*', '[]', '[]', '[*]']);
  });

  it('refuses a rolebinding that would grant more than its writer holds', async () => {
    const r = await users.nsadmin.fails(['create', 'rolebinding', 'escalate', '--clusterrole=cluster-admin', '--user=nsadmin', '-n', NS]);
    assert.equal(r.stderr.trim().split('\n')[0],
      'error: failed to create rolebinding: rolebindings.rbac.authorization.k8s.io "escalate" is forbidden: user "nsadmin" (groups=["devs" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:');
    assert.match(r.stderr, /\{APIGroups:\["\*"\], Resources:\["\*"\], Verbs:\["\*"\]\}/);
    assert.match(r.stderr, /\{NonResourceURLs:\["\*"\], Verbs:\["\*"\]\}/);
    // A role she holds herself can be granted.
    assert.equal((await users.nsadmin.ok(['create', 'rolebinding', 'viewer-edit', '--clusterrole=edit', '--user=viewer', '-n', NS])).trim(), 'rolebinding.rbac.authorization.k8s.io/viewer-edit created');
    assert.equal(await canI(users.viewer, 'create', 'pods', '-n', NS), true);
    await admin.ok(['delete', 'rolebinding', 'viewer-edit', '-n', NS]);
    // And a Role with rules beyond hers is refused too.
    const role = await users.nsadmin.fails(['create', 'role', 'nodes', '--verb=get', '--resource=nodes', '-n', NS]);
    assert.match(role.stderr, /roles\.rbac\.authorization\.k8s\.io "nodes" is forbidden: user "nsadmin" .* is attempting to grant RBAC permissions not currently held:\n\{APIGroups:\[""\], Resources:\["nodes"\], Verbs:\["get"\]\}/);
  });

  it('--as impersonates (for those allowed to)', async () => {
    assert.equal(await canI(admin, 'get', 'pods', '--as=viewer', '-n', NS), true);
    assert.equal(await canI(admin, 'create', 'pods', '--as=viewer', '-n', NS), false);
    assert.equal(await canI(admin, 'create', 'pods', '--as=someone', '--as-group=system:masters'), true);
    const who = await admin.ok(['auth', 'whoami', '--as=viewer', '--as-group=devs']);
    assert.deepEqual(tableRows(who).slice(1), [['Username', 'viewer'], ['Groups', '[devs', 'system:authenticated]']]);
    const denied = await admin.fails(['get', 'pods', '-n', 'default', '--as=viewer']);
    assert.equal(denied.stderr.trim(), 'Error from server (Forbidden): pods is forbidden: User "viewer" cannot list resource "pods" in API group "" in the namespace "default"');
    // Without the impersonate verb every request is refused, discovery included (kubectl then
    // prints client-go's "unknown" for the discovery Status; -v=8 shows the server's message).
    const noImp = await users.viewer.fails(['get', 'pods', '-n', NS, '--as=editor', '-v=8']);
    assert.match(noImp.stderr, /is forbidden: User .{0,8}viewer.{0,8} cannot impersonate resource .{0,8}users.{0,8} in API group .{0,8} at the cluster scope/);
    assert.match(noImp.stderr, /Error from server \(Forbidden\)/);
  });
});
