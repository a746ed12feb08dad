// CRDs survive a restart (sqlite store): the CRD controller serves every stored CRD before the API
// server reports ready, so custom resources are readable at once after keks starts again.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestKeks } from '../../src/testing/harness.js';
import { tokenClient } from '../helpers/keks.js';

const CRD = {
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'crontabs.stable.example.com' },
  spec: {
    group: 'stable.example.com', scope: 'Namespaced', names: { plural: 'crontabs', kind: 'CronTab', shortNames: ['ct'] },
    versions: [{
      name: 'v1', served: true, storage: true,
      schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { cronSpec: { type: 'string' }, replicas: { type: 'integer', default: 1 } } } } } },
    }],
  },
};

describe('CRDs across a restart', () => {
  it('serves stored CRDs and their objects right after start', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'keks-crd-restart-'));
    try {
      const first = await startTestKeks({ store: 'sqlite', dataDir });
      let api = tokenClient(first);
      assert.equal((await api.post('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', CRD)).status, 201);
      let created = 0;
      for (let i = 0; i < 100 && created === 0; i++) {
        const r = await api.post('/apis/stable.example.com/v1/namespaces/default/crontabs', { apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name: 'c1' }, spec: { cronSpec: '* * * * */5' } });
        if (r.status === 201) created = 1;
        else await new Promise((res) => setTimeout(res, 10));
      }
      assert.equal(created, 1);
      api.close();
      await first.stop({ keepData: true });

      const second = await startTestKeks({ store: 'sqlite', dataDir });
      api = tokenClient(second);
      try {
        const got = await api.get('/apis/stable.example.com/v1/namespaces/default/crontabs/c1');
        assert.equal(got.status, 200, got.text);
        assert.deepEqual(got.json().spec, { cronSpec: '* * * * */5', replicas: 1 });
        const crd = (await api.get('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/crontabs.stable.example.com')).json();
        assert.ok(crd.status.conditions.some((c: { type: string; status: string }) => c.type === 'Established' && c.status === 'True'));
      } finally {
        api.close();
        await second.stop({ keepData: true });
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
