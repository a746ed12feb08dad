import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiMetrics } from './metrics.js';

test('counts requests per label set and code, with a cumulative duration histogram', async () => {
  const m = new ApiMetrics({ objects: async () => [{ resource: 'configmaps', count: 3 }], sizeBytes: async () => 4096 });
  const l = { verb: 'GET', group: '', version: 'v1', resource: 'configmaps', subresource: '', scope: 'resource', code: 200 };
  m.observe(l, 0.003);
  m.observe(l, 0.03);
  m.observe({ ...l, code: 404 }, 0.001);
  const { body, contentType } = await m.text();
  assert.match(contentType, /^text\/plain; version=0\.0\.4/);
  assert.match(body, /^apiserver_request_total\{verb="GET",group="",version="v1",resource="configmaps",subresource="",scope="resource",component="apiserver",code="200"\} 2$/m);
  assert.match(body, /^apiserver_request_total\{.*code="404"\} 1$/m);
  assert.match(body, /^apiserver_request_duration_seconds_bucket\{.*le="0\.005"\} 2$/m, 'two of three under 5 ms');
  assert.match(body, /^apiserver_request_duration_seconds_bucket\{.*le="0\.025"\} 2$/m);
  assert.match(body, /^apiserver_request_duration_seconds_bucket\{.*le="0\.05"\} 3$/m);
  assert.match(body, /^apiserver_request_duration_seconds_count\{.*\} 3$/m);
  assert.match(body, /^apiserver_storage_objects\{resource="configmaps"\} 3$/m);
  assert.match(body, /^apiserver_storage_size_bytes\{storage_cluster_id="keks"\} 4096$/m);
});

test('escapes label values', async () => {
  const m = new ApiMetrics();
  m.observe({ verb: 'GET', group: 'a"b\\c', version: 'v1', resource: 'x\ny', subresource: '', scope: 'cluster', code: 200 }, 0);
  const { body } = await m.text();
  assert.ok(body.includes('group="a\\"b\\\\c"'));
  assert.ok(body.includes('resource="x\\ny"'));
});
