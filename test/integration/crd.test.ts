// CustomResourceDefinitions served for real (in-process keks over HTTPS, memory store): a CRD is
// served within 1 s (discovery, OpenAPI, Established), custom resources are pruned, defaulted and
// validated (schema + CEL, transition rules), status and scale subresources behave as upstream,
// several versions share one storage version, cluster-scoped CRs work, name conflicts are
// reported, and deleting the CRD deletes its objects.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestKeks, type TestKeks } from '../../src/testing/harness.js';
import type { ApiClient } from '../helpers/api.js';
import { tokenClient } from '../helpers/keks.js';
import { eventually } from '../helpers/api.js';

const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const MERGE = 'application/merge-patch+json';

function widgetCrd(over: Record<string, unknown> = {}): Record<string, unknown> {
  const schema = {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        required: ['size'],
        'x-kubernetes-validations': [
          { rule: 'self.minReplicas <= self.replicas', message: 'minReplicas must not exceed replicas' },
          { rule: 'self.size != "huge" || self.replicas < 3' },
        ],
        properties: {
          size: { type: 'string', enum: ['small', 'big', 'huge'] },
          replicas: { type: 'integer', default: 1, minimum: 0 },
          minReplicas: { type: 'integer', default: 0 },
          id: { type: 'string', 'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'id is immutable' }] },
        },
      },
      status: { type: 'object', properties: { replicas: { type: 'integer' }, selector: { type: 'string' }, phase: { type: 'string' } } },
    },
  };
  return {
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com', scope: 'Namespaced',
      names: { plural: 'widgets', singular: 'widget', kind: 'Widget', shortNames: ['wd'], categories: ['all'] },
      versions: [
        {
          name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: schema },
          subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' } },
          additionalPrinterColumns: [{ name: 'Size', type: 'string', jsonPath: '.spec.size' }],
        },
        { name: 'v1beta1', served: true, storage: false, schema: { openAPIV3Schema: schema }, subresources: { status: {} } },
      ],
      ...over,
    },
  };
}

/** Bounded polling (test/helpers/api.ts eventually). */
const waitFor = <T>(fn: () => Promise<T | undefined>, ms = 1000): Promise<T> => eventually(fn, `within ${ms} ms`, ms, 10) as Promise<T>;

describe('CRDs: served, validated, subresources, cleanup', () => {
  let tk: TestKeks;
  let api: ApiClient;
  const W = '/apis/example.com/v1/namespaces/default/widgets';

  before(async () => {
    tk = await startTestKeks({ store: 'memory' });
    api = tokenClient(tk);
    const created = await api.post(CRDS, widgetCrd());
    assert.equal(created.status, 201, created.text);
  });
  after(async () => {
    api?.close();
    await tk?.stop();
  });

  it('is served within 1 s: discovery, OpenAPI and the Established condition', async () => {
    const t0 = Date.now();
    await waitFor(async () => ((await api.get('/apis/example.com/v1')).status === 200 ? true : undefined));
    assert.ok(Date.now() - t0 < 1000);
    const disc = (await api.get('/apis/example.com/v1')).json();
    const r = disc.resources.find((x: { name: string }) => x.name === 'widgets');
    assert.deepEqual([r.kind, r.namespaced, r.shortNames, r.categories, r.singularName], ['Widget', true, ['wd'], ['all'], 'widget']);
    assert.ok(disc.resources.some((x: { name: string }) => x.name === 'widgets/status'));
    assert.ok(disc.resources.some((x: { name: string }) => x.name === 'widgets/scale'));
    const group = (await api.get('/apis/example.com')).json();
    assert.deepEqual(group.versions.map((v: { version: string }) => v.version), ['v1', 'v1beta1']);
    const crd = await waitFor(async () => {
      const c = (await api.get(`${CRDS}/widgets.example.com`)).json();
      return c.status?.conditions?.some((x: { type: string; status: string }) => x.type === 'Established' && x.status === 'True') ? c : undefined;
    });
    assert.equal(crd.status.conditions.find((x: { type: string }) => x.type === 'NamesAccepted').reason, 'NoConflicts');
    assert.equal(crd.status.acceptedNames.kind, 'Widget');
    assert.deepEqual(crd.status.storedVersions, ['v1']);
    const idx = (await api.get('/openapi/v3')).json();
    assert.ok(idx.paths['apis/example.com/v1']);
    const doc = (await api.get('/openapi/v3/apis/example.com/v1')).json();
    const schema = doc.components.schemas['com.example.v1.Widget'];
    assert.deepEqual(schema['x-kubernetes-group-version-kind'], [{ group: 'example.com', kind: 'Widget', version: 'v1' }]);
    assert.ok(schema.properties.spec.properties.size);
    const patchOp = doc.paths['/apis/example.com/v1/namespaces/{namespace}/widgets/{name}'].patch;
    assert.ok(patchOp.parameters.some((p: { name: string }) => p.name === 'fieldValidation'));
    assert.ok(doc.components.schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']);
  });

  it('prunes unknown fields and applies defaults; generation starts at 1', async () => {
    const res = await api.post(W, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'a' }, spec: { size: 'small', bogus: true }, status: { phase: 'x' } });
    assert.equal(res.status, 201, res.text);
    const o = res.json();
    assert.deepEqual(o.spec, { size: 'small', replicas: 1, minReplicas: 0 });
    assert.equal(o.status, undefined, 'status is dropped on create with a status subresource');
    assert.equal(o.metadata.generation, 1);
  });

  it('fieldValidation: Strict rejects unknown fields with 400, the default warns, Ignore is silent', async () => {
    const body = (name: string) => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name }, spec: { size: 'small', bogus: 1, other: { x: 1 } } });
    const strict = await api.post(`${W}?fieldValidation=Strict`, body('strict'));
    assert.equal(strict.status, 400, strict.text);
    assert.equal(strict.json().message, 'Widget in version "v1" cannot be handled as a Widget: strict decoding error: unknown field "spec.bogus", unknown field "spec.other"');
    const warn = await api.post(W, body('warn'));
    assert.equal(warn.status, 201, warn.text);
    assert.match(String(warn.headers.warning), /unknown field \\?"spec\.bogus\\?"/);
    const ignore = await api.post(`${W}?fieldValidation=Ignore`, body('ignore'));
    assert.equal(ignore.status, 201);
    assert.equal(ignore.headers.warning, undefined);
  });

  it('rejects invalid objects with 422 and upstream messages', async () => {
    const bad = async (spec: unknown) => {
      const r = await api.post(W, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'bad' }, spec });
      assert.equal(r.status, 422, r.text);
      return r.json();
    };
    // a blocking schema error stops CEL evaluation, with upstream's extra error (hasBlockingErr)
    const notChecked = '<nil>: Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation';
    assert.equal((await bad({ size: 'small', replicas: 'two' })).message,
      `Widget.example.com "bad" is invalid: [spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string", ${notChecked}]`);
    assert.equal((await bad({})).message, `Widget.example.com "bad" is invalid: [spec.size: Required value, ${notChecked}]`);
    assert.equal((await bad({ size: 'tiny' })).message, `Widget.example.com "bad" is invalid: [spec.size: Unsupported value: "tiny": supported values: "small", "big", "huge", ${notChecked}]`);
    const cel = await bad({ size: 'small', replicas: 1, minReplicas: 2 });
    assert.equal(cel.message, 'Widget.example.com "bad" is invalid: spec: Invalid value: "object": minReplicas must not exceed replicas');
    assert.deepEqual(cel.details.causes, [{ reason: 'FieldValueInvalid', message: 'Invalid value: "object": minReplicas must not exceed replicas', field: 'spec' }]);
    assert.equal((await bad({ size: 'huge', replicas: 5 })).message, 'Widget.example.com "bad" is invalid: spec: Invalid value: "object": failed rule: self.size != "huge" || self.replicas < 3');
  });

  it('transition rules (oldSelf) run on update', async () => {
    assert.equal((await api.post(W, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'imm' }, spec: { size: 'small', id: 'one' } })).status, 201);
    const r = await api.patch(`${W}/imm`, { spec: { id: 'two' } }, MERGE);
    assert.equal(r.status, 422, r.text);
    assert.match(r.json().message, /spec\.id: Invalid value: "string": id is immutable/);
    assert.equal((await api.patch(`${W}/imm`, { spec: { size: 'big' } }, MERGE)).status, 200);
  });

  it('status ignores spec and the main resource ignores status; generation bumps on spec changes only', async () => {
    const st = await api.patch(`${W}/a/status`, { spec: { size: 'big' }, status: { phase: 'Running', replicas: 2, selector: 'app=a' } }, MERGE);
    assert.equal(st.status, 200, st.text);
    assert.equal(st.json().spec.size, 'small');
    assert.equal(st.json().status.phase, 'Running');
    assert.equal(st.json().metadata.generation, 1);
    const main = await api.patch(`${W}/a`, { spec: { size: 'big' }, status: { phase: 'Nope' } }, MERGE);
    assert.equal(main.json().spec.size, 'big');
    assert.equal(main.json().status.phase, 'Running');
    assert.equal(main.json().metadata.generation, 2);
  });

  it('scale reads and writes the CRD scale paths', async () => {
    const s = (await api.get(`${W}/a/scale`)).json();
    assert.deepEqual([s.kind, s.apiVersion, s.spec.replicas, s.status.replicas, s.status.selector], ['Scale', 'autoscaling/v1', 1, 2, 'app=a']);
    const up = await api.patch(`${W}/a/scale`, { spec: { replicas: 4 } }, MERGE);
    assert.equal(up.status, 200, up.text);
    assert.equal(up.json().spec.replicas, 4);
    const o = (await api.get(`${W}/a`)).json();
    assert.equal(o.spec.replicas, 4);
    assert.equal(o.metadata.generation, 3);
  });

  it('serves every version from one storage version (conversion None: only apiVersion changes)', async () => {
    const r = await api.post('/apis/example.com/v1beta1/namespaces/default/widgets', { apiVersion: 'example.com/v1beta1', kind: 'Widget', metadata: { name: 'beta' }, spec: { size: 'big' } });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json().apiVersion, 'example.com/v1beta1');
    const v1 = (await api.get(`${W}/beta`)).json();
    assert.equal(v1.apiVersion, 'example.com/v1');
    assert.deepEqual(v1.spec, { size: 'big', replicas: 1, minReplicas: 0 });
  });

  it('prints additionalPrinterColumns as a Table', async () => {
    const t = (await api.get(W, { headers: { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' } })).json();
    assert.deepEqual(t.columnDefinitions.map((c: { name: string }) => c.name), ['Name', 'Size']);
    const row = t.rows.find((x: { cells: unknown[] }) => x.cells[0] === 'a');
    assert.deepEqual(row.cells, ['a', 'big']);
  });

  it('reports name conflicts instead of serving', async () => {
    const dup = widgetCrd();
    (dup.metadata as Record<string, unknown>).name = 'gadgets.example.com';
    (dup.spec as Record<string, unknown>).names = { plural: 'gadgets', singular: 'gadget', kind: 'Widget' };
    assert.equal((await api.post(CRDS, dup)).status, 201);
    const c = await waitFor(async () => {
      const x = (await api.get(`${CRDS}/gadgets.example.com`)).json();
      return x.status?.conditions?.length ? x : undefined;
    });
    const na = c.status.conditions.find((x: { type: string }) => x.type === 'NamesAccepted');
    assert.deepEqual([na.status, na.reason, na.message], ['False', 'KindConflict', '"Widget" is already in use']);
    assert.equal((await api.get('/apis/example.com/v1/namespaces/default/gadgets')).status, 404);
    assert.equal((await api.delete(`${CRDS}/gadgets.example.com`)).status, 200);
  });

  it('a CRD whose names conflicted is served once the other CRD goes', async () => {
    const mk = (plural: string) => {
      const c = widgetCrd({ group: 'other.io', names: { plural, singular: plural.slice(0, -1), kind: 'Foo' } });
      (c.metadata as Record<string, unknown>).name = `${plural}.other.io`;
      return c;
    };
    assert.equal((await api.post(CRDS, mk('foos'))).status, 201);
    await waitFor(async () => ((await api.get('/apis/other.io/v1/namespaces/default/foos')).status === 200 ? true : undefined));
    assert.equal((await api.post(CRDS, mk('bars'))).status, 201);
    await waitFor(async () => {
      const x = (await api.get(`${CRDS}/bars.other.io`)).json();
      return x.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'NamesAccepted' && c.status === 'False') ? true : undefined;
    });
    assert.equal((await api.delete(`${CRDS}/foos.other.io`)).status, 200);
    await waitFor(async () => ((await api.get('/apis/other.io/v1/namespaces/default/bars')).status === 200 ? true : undefined), 3000);
    const bars = (await api.get(`${CRDS}/bars.other.io`)).json();
    assert.ok(bars.status.conditions.some((c: { type: string; status: string }) => c.type === 'Established' && c.status === 'True'));
    assert.equal((await api.delete(`${CRDS}/bars.other.io`)).status, 200);
  });

  it('rejects an invalid CRD with 422 naming the field', async () => {
    const bad = widgetCrd();
    (bad.metadata as Record<string, unknown>).name = 'things.example.com';
    const r = await api.post(CRDS, bad);
    assert.equal(r.status, 422);
    assert.equal(r.json().message, 'CustomResourceDefinition.apiextensions.k8s.io "things.example.com" is invalid: metadata.name: Invalid value: "things.example.com": must be spec.names.plural+"."+spec.group');
  });

  it('rejects a CRD whose rule is outside the supported CEL subset, naming the rule', async () => {
    const c = widgetCrd({ names: { plural: 'celwidgets', kind: 'CelWidget' } });
    (c.metadata as Record<string, unknown>).name = 'celwidgets.example.com';
    const v = ((c.spec as Record<string, unknown>).versions as Array<Record<string, any>>)[0];
    v.schema.openAPIV3Schema.properties.spec['x-kubernetes-validations'] = [{ rule: "quantity(self.size).isLessThan(quantity('1Gi'))" }];
    const r = await api.post(CRDS, c);
    assert.equal(r.status, 422, r.text);
    assert.match(r.json().message, /spec\.versions\[0\]\.schema\.openAPIV3Schema\.properties\[spec\]\.x-kubernetes-validations\[0\]\.rule: Invalid value: "quantity\(self\.size\)\.isLessThan\(quantity\('1Gi'\)\)": compilation failed: .*'quantity'/);
  });

  it('an updated CRD schema is served at once (new enum value accepted)', async () => {
    const cur = (await api.get(`${CRDS}/widgets.example.com`)).json();
    cur.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.size.enum.push('medium');
    const upd = await api.put(`${CRDS}/widgets.example.com`, cur);
    assert.equal(upd.status, 200, upd.text);
    assert.equal(upd.json().metadata.generation, 2);
    const created = await waitFor(async () => {
      const r = await api.post(W, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'medium' }, spec: { size: 'medium' } });
      return r.status === 201 ? r : undefined;
    });
    assert.equal(created.json().spec.size, 'medium');
    assert.equal((await api.get(`${W}/a`)).status, 200, 'objects survive a schema update');
  });

  it('cluster-scoped custom resources', async () => {
    const c = widgetCrd({ scope: 'Cluster', names: { plural: 'clusterwidgets', kind: 'ClusterWidget' } });
    (c.metadata as Record<string, unknown>).name = 'clusterwidgets.example.com';
    assert.equal((await api.post(CRDS, c)).status, 201);
    await waitFor(async () => ((await api.get('/apis/example.com/v1/clusterwidgets')).status === 200 ? true : undefined));
    const r = await api.post('/apis/example.com/v1/clusterwidgets', { apiVersion: 'example.com/v1', kind: 'ClusterWidget', metadata: { name: 'cw' }, spec: { size: 'small' } });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json().metadata.namespace, undefined);
    assert.equal((await api.get('/apis/example.com/v1/clusterwidgets/cw')).status, 200);
  });

  it('a custom resource finalizer holds the CRD (Terminating) until it is removed', async () => {
    const c = widgetCrd({ names: { plural: 'heldwidgets', kind: 'HeldWidget' } });
    (c.metadata as Record<string, unknown>).name = 'heldwidgets.example.com';
    assert.equal((await api.post(CRDS, c)).status, 201);
    const H = '/apis/example.com/v1/namespaces/default/heldwidgets';
    await waitFor(async () => ((await api.get(H)).status === 200 ? true : undefined));
    assert.equal((await api.post(H, { apiVersion: 'example.com/v1', kind: 'HeldWidget', metadata: { name: 'h', finalizers: ['example.com/hold'] }, spec: { size: 'small' } })).status, 201);
    assert.equal((await api.delete(`${CRDS}/heldwidgets.example.com`)).status, 200);
    const terminating = await waitFor(async () => {
      const x = (await api.get(`${CRDS}/heldwidgets.example.com`)).json();
      return x.metadata.deletionTimestamp ? x : undefined;
    });
    assert.deepEqual(terminating.metadata.finalizers, ['customresourcecleanup.apiextensions.k8s.io']);
    assert.ok(terminating.status.conditions.some((x: { type: string; status: string }) => x.type === 'Terminating' && x.status === 'True'));
    await new Promise((r) => setTimeout(r, 300));
    const held = (await api.get(`${H}/h`)).json();
    assert.ok(held.metadata.deletionTimestamp, 'the custom resource is marked for deletion');
    assert.equal((await api.get(`${CRDS}/heldwidgets.example.com`)).status, 200, 'the CRD waits for its objects');
    assert.equal((await api.patch(`${H}/h`, { metadata: { finalizers: null } }, MERGE)).status, 200);
    await waitFor(async () => ((await api.get(`${CRDS}/heldwidgets.example.com`)).status === 404 ? true : undefined), 8000);
  });

  it('deleting the CRD deletes its objects and stops serving it', async () => {
    const del = await api.delete(`${CRDS}/widgets.example.com`);
    assert.equal(del.status, 200, del.text);
    await waitFor(async () => ((await api.get(`${CRDS}/widgets.example.com`)).status === 404 ? true : undefined), 3000);
    assert.equal((await api.get(W)).status, 404);
    // Re-creating the CRD serves an empty collection: the old objects went with it.
    assert.equal((await api.post(CRDS, widgetCrd())).status, 201);
    const list = await waitFor<{ items: unknown[] }>(async () => { const r = await api.get(W); return r.status === 200 ? r.json() : undefined; });
    assert.deepEqual(list.items, []);
  });
});
