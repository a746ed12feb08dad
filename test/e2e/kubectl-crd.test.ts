// Real-world CRDs through the real kubectl (fixtures in test/fixtures/crd, sources in test/fixtures/SOURCES.md):
// every CRD is accepted by `kubectl create -f`, every example custom resource is accepted and
// printed with its printer columns, an invalid variant of each is rejected with a 422 naming the
// field, `kubectl explain <kind>.spec` prints the CRD schema, `kubectl get all` includes
// category-"all" custom resources, client-side apply of a CRD over 256 KiB fails as upstream,
// and deleting a CRD deletes its objects. Also times `kubectl create -f` of the
// prometheus-operator CRD bundle (issue 3 benchmark; server-side apply is measured elsewhere).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { startTestKeks, type TestKeks } from '../../src/testing/harness.js';
import { Kubectl, kubectlSkip } from '../helpers/kubectl.js';
import { repoRoot } from '../helpers/keks.js';

type Obj = Record<string, any>;

const ROOT = join(repoRoot(), 'test/fixtures/crd');

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const f of readdirSync(dir).sort()) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else if (p.endsWith('.yaml')) out.push(p);
  }
  return out;
}

function docs(text: string): Obj[] {
  return parseAllDocuments(text).map((d) => d.toJS() as Obj).filter((d) => d && typeof d === 'object');
}

/** Example manifests use shell placeholders ($BUCKET_NAME, ${CLUSTER_NAME}): fill them like a user would. */
function substitute(text: string): string {
  return text.replace(/\$\{?([A-Z][A-Z0-9_]*)\}?/g, (_m, v: string) => {
    if (/^(ENABLE|DISALLOW)_/.test(v)) return 'true';
    return `value-${v.toLowerCase().replace(/_/g, '-')}`;
  });
}

const ALL = filesUnder(ROOT);
const CRD_FILES = ALL.filter((f) => readFileSync(f, 'utf8').includes('kind: CustomResourceDefinition'));
const CRDS: Obj[] = CRD_FILES.flatMap((f) => docs(readFileSync(f, 'utf8'))).filter((d) => d.kind === 'CustomResourceDefinition');
const crdOf = (apiVersion: string, kind: string): Obj | undefined => CRDS.find((c) => c.spec.names.kind === kind && apiVersion.startsWith(`${c.spec.group}/`));
const HELM = 'aws-load-balancer-controller/crds/helm-crds.yaml';
const EXAMPLES = ALL.filter((f) => !CRD_FILES.includes(f)).map((f) => ({ file: f, objs: docs(substitute(readFileSync(f, 'utf8'))) }))
  .map((e, i) => ({ ...e, objs: e.objs.filter((o) => crdOf(o.apiVersion, o.kind)).map((o): Obj => ({ ...o, metadata: { ...o.metadata, name: `${o.metadata.name}-${i}` } })) }))
  .filter((e) => e.objs.length);

function schemaOf(o: Obj): Obj {
  const crd = crdOf(o.apiVersion, o.kind) as Obj;
  const v = o.apiVersion.slice(o.apiVersion.indexOf('/') + 1);
  return crd.spec.versions.find((x: Obj) => x.name === v).schema.openAPIV3Schema;
}

/**
 * A copy of `o` with one typed field of its spec (or of its top level) given a value of the wrong
 * type (strings get a number, everything else a string): [object, field path, expected message].
 */
function invalidVariant(o: Obj): [Obj, string, string] {
  const root = schemaOf(o);
  const bad = structuredClone(o);
  bad.metadata.name = `${o.metadata.name}-bad`;
  const specSchema = root.properties?.spec;
  const [target, props, prefix] = specSchema?.properties
    ? [(bad.spec ??= {}), specSchema.properties as Obj, 'spec.']
    : [bad, root.properties as Obj, ''];
  const typed = (k: string) => props[k].type && !props[k]['x-kubernetes-int-or-string'] && !['apiVersion', 'kind', 'metadata', 'status'].includes(k);
  const name = Object.keys(props).find((k) => typed(k) && props[k].type === 'string') ?? Object.keys(props).find(typed);
  assert.ok(name, `no typed field to break in ${o.kind}`);
  const want = props[name].type as string;
  target[name] = want === 'string' ? 12345 : 'x';
  const got = want === 'string' ? 'integer' : 'string';
  const path = prefix + name;
  return [bad, path, `${path}: Invalid value: "${got}": ${path} in body must be of type ${want}: "${got}"`];
}

describe('kubectl with real-world CRDs', { skip: kubectlSkip }, () => {
  let tk: TestKeks;
  let k: Kubectl;

  before(async () => {
    tk = await startTestKeks({ store: 'memory' });
    k = new Kubectl(tk.kubeconfig);
    await k.ok(['create', 'namespace', 'ui']);
  });
  after(async () => {
    k?.dispose();
    await tk?.stop();
  });

  it('creates the prometheus-operator CRD bundle (timed) and serves it', async () => {
    const dir = join(ROOT, 'prometheus-operator/crds');
    const t0 = performance.now();
    const out = await k.ok(['create', '-f', dir], { timeoutMs: 60_000 });
    const ms = performance.now() - t0;
    process.stdout.write(`# kubectl create -f prometheus-operator CRD bundle (6 CRDs, ${Math.round(readdirSync(dir).reduce((a, f) => a + statSync(join(dir, f)).size, 0) / 1024)} KiB): ${ms.toFixed(0)} ms\n`);
    assert.equal(out.trim().split('\n').length, 6, out);
    const res = await k.ok(['api-resources', '--api-group=monitoring.coreos.com', '-o', 'name']);
    assert.deepEqual(res.trim().split('\n').sort(), ['alertmanagers.monitoring.coreos.com', 'podmonitors.monitoring.coreos.com', 'probes.monitoring.coreos.com',
      'prometheuses.monitoring.coreos.com', 'prometheusrules.monitoring.coreos.com', 'servicemonitors.monitoring.coreos.com']);
  });

  it('accepts every other fixture CRD (kubectl apply, or create when over the annotation limit); each becomes Established', async () => {
    for (const f of CRD_FILES) {
      if (f.includes('prometheus-operator/') || f.endsWith(HELM)) continue;
      // Client-side apply stores the whole manifest in an annotation (256 KiB limit): big CRDs use create.
      const verb = statSync(f).size < 200_000 ? 'apply' : 'create';
      const out = await k.ok([verb, '-f', f], { timeoutMs: 60_000 });
      // keks's emulated AWS Load Balancer Controller installs its own CRDs (elbv2.k8s.aws) at start,
      // as its Helm chart does: applying the chart's copies over them configures them.
      const preinstalled = /elbv2\.k8s\.aws_(ingressclassparams|targetgroupbindings)\.yaml$/.test(f);
      assert.match(out, preinstalled ? /created|configured|unchanged/ : /created/, `${verb} ${f}`);
    }
    for (const c of CRDS.filter((x) => !x.metadata.name.startsWith('albtargetcontrolconfigs') && !x.metadata.name.startsWith('globalaccelerators'))) {
      const st = await k.ok(['get', 'crd', c.metadata.name, '-o', 'jsonpath={.status.conditions[?(@.type=="Established")].status}']);
      assert.equal(st, 'True', c.metadata.name);
    }
  });

  it('client-side kubectl apply of a CRD: configured (first apply over create), then unchanged', async () => {
    const f = join(ROOT, 'prometheus-operator/crds/monitoring.coreos.com_prometheusrules.yaml');
    assert.match(await k.ok(['apply', '-f', f]), /prometheusrules\.monitoring\.coreos\.com configured/);
    assert.match(await k.ok(['apply', '-f', f]), /prometheusrules\.monitoring\.coreos\.com unchanged/);
    const flux = join(ROOT, 'flux/crds/source.toolkit.fluxcd.io_helmrepositories.yaml');
    assert.match(await k.ok(['apply', '-f', flux]), /helmrepositories\.source\.toolkit\.fluxcd\.io unchanged/);
  });

  it('client-side apply of a CRD over 256 KiB fails with the annotation limit, as upstream', async () => {
    const r = await k.fails(['apply', '-f', join(ROOT, 'keda/crds/keda.sh_scaledjobs.yaml')], { timeoutMs: 60_000 });
    assert.match(r.stderr, /metadata\.annotations: Too long: may not be more than 262144 bytes/);
  });

  it('accepts every example custom resource and prints it with its printer columns', async () => {
    for (const e of EXAMPLES) {
      const input = e.objs.map((o) => stringify(o)).join('---\n');
      let r = await k.run(['create', '-f', '-'], { input });
      const unknown = /strict decoding error: unknown field "([^"]+)"/.exec(r.stderr);
      if (r.code !== 0 && unknown) {
        // A stale example (ACK's ElasticIPAddress spec.domain): a real server rejects it under
        // kubectl's default --validate=strict too. Check the field really is outside the schema,
        // then create it as --validate=warn does (pruned, with a warning).
        const [head, ...rest] = unknown[1].split('.');
        const o = e.objs[0];
        let sch: Obj | undefined = schemaOf(o).properties?.[head];
        for (const part of rest) sch = sch?.properties?.[part];
        assert.equal(sch, undefined, `${unknown[1]} is in the schema of ${o.kind}`);
        r = await k.run(['create', '--validate=warn', '-f', '-'], { input });
        assert.match(r.stderr, new RegExp(`unknown field "${unknown[1].replace('.', '\\.')}"`));
      }
      assert.equal(r.code, 0, `${e.file}: ${r.stderr}`);
      assert.equal(r.stdout.trim().split('\n').length, e.objs.length, `${e.file}: ${r.stdout}`);
    }
    const kinds = new Map<string, Obj>();
    for (const e of EXAMPLES) for (const o of e.objs) kinds.set(`${o.apiVersion}/${o.kind}`, o);
    for (const o of kinds.values()) {
      const crd = crdOf(o.apiVersion, o.kind) as Obj;
      const resource = `${crd.spec.names.plural}.${crd.spec.group}`;
      const version = crd.spec.versions.find((v: Obj) => v.storage);
      const out = await k.ok(['get', resource, '-A', '-o', 'wide']);
      const header = out.split('\n')[0].trim().split(/\s{2,}/);
      const cols = ((version.additionalPrinterColumns ?? []) as Obj[]).map((c) => String(c.name).toUpperCase());
      const ns = crd.spec.scope === 'Namespaced' ? ['NAMESPACE'] : [];
      assert.deepEqual(header, [...ns, 'NAME', ...(cols.length ? cols : ['AGE'])], `${resource} columns`);
      assert.match(out, new RegExp(`\\b${o.metadata.name}\\b`), `${resource} lists ${o.metadata.name}`);
    }
  });

  it('prints a printer column value (karpenter NodePool NODECLASS, flux GitRepository URL)', async () => {
    const np = EXAMPLES.flatMap((e) => e.objs).find((o) => o.kind === 'NodePool') as Obj;
    const out = await k.ok(['get', 'nodepools.karpenter.sh', np.metadata.name]);
    assert.match(out.split('\n')[1], new RegExp(`^${np.metadata.name}\\s+${np.spec.template.spec.nodeClassRef.name}\\s`));
    const gr = EXAMPLES.flatMap((e) => e.objs).find((o) => o.kind === 'GitRepository') as Obj;
    const g = await k.ok(['get', 'gitrepositories', gr.metadata.name, '-n', gr.metadata.namespace ?? 'default']);
    assert.ok(g.split('\n')[1].includes(gr.spec.url), g);
  });

  it('rejects an invalid variant of every example with a 422 naming the field', async () => {
    for (const e of EXAMPLES) {
      for (const o of e.objs) {
        const [bad, path, message] = invalidVariant(o);
        const r = await k.fails(['create', '--validate=warn', '-f', '-'], { input: stringify(bad) });
        assert.match(r.stderr, /is invalid/, `${o.kind}: ${r.stderr}`);
        assert.ok(r.stderr.includes(message), `${o.kind} ${path}: ${r.stderr}`);
      }
    }
  });

  it('kubectl --validate=strict (the default) rejects an unknown field; --validate=false prunes it', async () => {
    const gr = EXAMPLES.flatMap((e) => e.objs).find((o) => o.kind === 'GitRepository') as Obj;
    const obj = structuredClone(gr);
    obj.metadata.name = `${gr.metadata.name}-unknown`;
    obj.spec.bogusField = 1;
    const r = await k.fails(['create', '-f', '-'], { input: stringify(obj) });
    assert.match(r.stderr, /strict decoding error: unknown field "spec\.bogusField"/, r.stderr);
    await k.ok(['create', '--validate=false', '-f', '-'], { input: stringify(obj) });
    const got = JSON.parse(await k.ok(['get', 'gitrepositories', obj.metadata.name, '-n', obj.metadata.namespace ?? 'default', '-o', 'json']));
    assert.equal(got.spec.bogusField, undefined);
    assert.equal(got.spec.url, gr.spec.url);
  });

  it('kubectl explain <kind>.spec prints the CRD schema', async () => {
    for (const c of CRDS.filter((x) => !x.metadata.name.includes('aga.k8s.aws') && !x.metadata.name.startsWith('albtargetcontrolconfigs'))) {
      const v = c.spec.versions.find((x: Obj) => x.storage);
      const hasSpec = !!v.schema.openAPIV3Schema.properties?.spec;
      const field = hasSpec ? `${c.spec.names.plural}.spec` : c.spec.names.plural;
      const out = await k.ok(['explain', field, `--api-version=${c.spec.group}/${v.name}`]);
      assert.match(out, new RegExp(`KIND:\\s+${c.spec.names.kind}\\n`), c.metadata.name);
      if (hasSpec) assert.match(out, /FIELD: spec <Object>/, c.metadata.name);
    }
  });

  it('kubectl scale uses the CRD scale subresource (Prometheus: .spec.shards)', async () => {
    const p = EXAMPLES.flatMap((e) => e.objs).find((o) => o.kind === 'Prometheus') as Obj;
    const ns = p.metadata.namespace ?? 'default';
    await k.ok(['scale', `prometheuses.monitoring.coreos.com/${p.metadata.name}`, '-n', ns, '--replicas=3']);
    const shards = await k.ok(['get', 'prometheuses.monitoring.coreos.com', p.metadata.name, '-n', ns, '-o', 'jsonpath={.spec.shards}']);
    assert.equal(shards, '3');
  });

  it('kubectl get all includes custom resources of category "all"', async () => {
    const out = await k.ok(['get', 'all', '-A']);
    assert.match(out, /gitrepository\.source\.toolkit\.fluxcd\.io\//);
    assert.match(out, /kustomization\.kustomize\.toolkit\.fluxcd\.io\//);
    const cat = await k.ok(['get', 'prometheus-operator', '-A']);
    assert.match(cat, /servicemonitor\.monitoring\.coreos\.com\//);
  });

  it('deleting a CRD deletes its objects; the helm bundle can then be created', async () => {
    const count = async (r: string) => (await k.ok(['get', r, '-A', '-o', 'name'])).trim().split('\n').filter(Boolean).length;
    assert.ok(await count('nodepools.karpenter.sh') > 0);
    await k.ok(['delete', 'crd', 'nodepools.karpenter.sh'], { timeoutMs: 60_000 });
    const r = await k.run(['get', 'nodepools.karpenter.sh', '-A']);
    assert.notEqual(r.code, 0);
    await k.ok(['create', '-f', join(ROOT, 'karpenter/crds/karpenter.sh_nodepools.yaml')]);
    for (let i = 0; i < 50; i++) {
      const x = await k.run(['get', 'nodepools.karpenter.sh', '-A', '-o', 'name']);
      if (x.code === 0) { assert.equal(x.stdout.trim(), ''); break; }
      await new Promise((res) => setTimeout(res, 100));
    }
    await k.ok(['delete', '-f', join(ROOT, 'aws-load-balancer-controller/crds/elbv2.k8s.aws_ingressclassparams.yaml'), '-f', join(ROOT, 'aws-load-balancer-controller/crds/elbv2.k8s.aws_targetgroupbindings.yaml')], { timeoutMs: 60_000 });
    const out = await k.ok(['create', '-f', join(ROOT, HELM)], { timeoutMs: 60_000 });
    assert.equal(out.trim().split('\n').length, 4, out);
  });
});
