import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT, REGION, testEks } from './testing-fakes.js';
import { rejectsAws as rejects } from './test-assert.js';

const enc = encodeURIComponent;

test('Tag/Untag/ListTagsForResource on a cluster ARN', async () => {
  const t = await testEks();
  const { cluster } = await t.createCluster('tagged', { tags: { a: '1' } });
  const path = `/tags/${enc(cluster.arn)}`;
  assert.deepEqual(await t.call('POST', path, { tags: { b: '2', a: 'x' } }), {});
  assert.deepEqual((await t.call('GET', path)).tags, { a: 'x', b: '2' });
  assert.deepEqual(await t.call('DELETE', `${path}?tagKeys=a&tagKeys=zz`), {});
  assert.deepEqual((await t.call('GET', path)).tags, { b: '2' });
  assert.deepEqual((await t.call('GET', '/clusters/tagged')).cluster.tags, { b: '2' });
});

test('tags of add-on and access-entry ARNs; a registered hook reaches node groups', async () => {
  const t = await testEks();
  await t.createCluster('tg', { accessConfig: { authenticationMode: 'API' } });
  const { addon } = await t.call('POST', '/clusters/tg/addons', { addonName: 'kube-proxy', tags: { x: 'y' } });
  assert.deepEqual((await t.call('GET', `/tags/${enc(addon.addonArn)}`)).tags, { x: 'y' });
  await t.call('POST', `/tags/${enc(addon.addonArn)}`, { tags: { k: 'v' } });
  assert.deepEqual((await t.call('GET', '/clusters/tg/addons/kube-proxy')).addon.tags, { x: 'y', k: 'v' });
  const { accessEntries } = await t.call('GET', '/clusters/tg/access-entries');
  const { accessEntry } = await t.call('GET', `/clusters/tg/access-entries/${enc(accessEntries[0])}`);
  await t.call('POST', `/tags/${enc(accessEntry.accessEntryArn)}`, { tags: { owner: 'me' } });
  assert.deepEqual((await t.call('GET', `/tags/${enc(accessEntry.accessEntryArn)}`)).tags, { owner: 'me' });

  const ngArn = `arn:aws:eks:${REGION}:${ACCOUNT}:nodegroup/tg/ng1/0000`;
  let ngTags: Record<string, string> = { n: '1' };
  t.eks.attach({ taggables: [{ resourceType: 'nodegroup', tags: (arn) => (arn === ngArn ? ngTags : undefined), setTags: async (_a, tags) => { ngTags = tags; } }] });
  await t.call('POST', `/tags/${enc(ngArn)}`, { tags: { m: '2' } });
  assert.deepEqual(ngTags, { n: '1', m: '2' });
});

test('tags API errors: BadRequestException for a malformed ARN, NotFoundException for an unknown resource', async () => {
  const t = await testEks();
  await rejects(() => t.call('GET', `/tags/${enc('not-an-arn')}`), 'BadRequestException', undefined, 400);
  await rejects(() => t.call('GET', `/tags/${enc(`arn:aws:eks:${REGION}:${ACCOUNT}:cluster/ghost`)}`), 'NotFoundException', 'Resource was not found', 404);
  await rejects(() => t.call('POST', `/tags/${enc(`arn:aws:eks:${REGION}:${ACCOUNT}:nodegroup/a/b/c`)}`, { tags: { a: 'b' } }), 'NotFoundException');
  const { cluster } = await t.createCluster('t3');
  await rejects(() => t.call('POST', `/tags/${enc(cluster.arn)}`, { tags: { 'aws:reserved': 'x' } }), 'BadRequestException');
  await rejects(() => t.call('DELETE', `/tags/${enc(cluster.arn)}`), 'BadRequestException');
});
