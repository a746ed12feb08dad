import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { ApiClient } from '../../client/client.js';
import type { StreamHandle, Transport, TransportRequest, TransportResponse } from '../../client/transport.js';
import { ensureRevision, hashRevisionData, revisionName, sortRevisions, templateOfRevision, templatePatch, truncateHistory } from './history.js';

/** Answers writes with the written object; POSTs of names in `taken` fail with AlreadyExists, GETs return `taken`. */
class RevisionApi implements Transport {
  readonly writes: Array<{ method: string; path: string; body?: KubeObject }> = [];
  constructor(private readonly taken = new Map<string, KubeObject>()) {}
  request(req: TransportRequest): Promise<TransportResponse> {
    const body = req.body ? JSON.parse(req.body) as KubeObject : undefined;
    const name = req.path.split('/').pop() as string;
    if (req.method === 'GET') return Promise.resolve({ status: 200, headers: {}, body: JSON.stringify(this.taken.get(name)) });
    this.writes.push({ method: req.method, path: req.path, body });
    if (req.method === 'POST' && body && this.taken.has(body.metadata.name as string)) {
      return Promise.resolve({ status: 409, headers: {}, body: JSON.stringify({ kind: 'Status', reason: 'AlreadyExists', message: 'exists' }) });
    }
    return Promise.resolve({ status: req.method === 'POST' ? 201 : 200, headers: {}, body: JSON.stringify(body ?? { metadata: {} }) });
  }
  stream(): StreamHandle { return { abort: () => undefined }; }
}

const owner = (image: string): KubeObject => ({
  apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web', namespace: 'ns', uid: 'u1' },
  spec: { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image }] } } },
});
const ref = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'u1', controller: true, blockOwnerDeletion: true };
const rev = (name: string, n: number, image: string): KubeObject => ({ metadata: { name, namespace: 'ns', ownerReferences: [ref] }, data: templatePatch(owner(image)), revision: n });

describe('ControllerRevision history', () => {
  it('creates `<owner>-<hash>` revision 1 with the template patch and hash label', async () => {
    const t = new RevisionApi();
    const r = await ensureRevision({ client: new ApiClient(t), owner: owner('a'), ownerRef: ref, revisions: [], collisionCount: 0, hashOf: (c) => hashRevisionData(templatePatch(owner('a')), c) });
    assert.equal(r.revision.metadata.name, revisionName('web', hashRevisionData(templatePatch(owner('a')), 0)));
    assert.equal(r.revision.revision, 1);
    assert.equal(r.revision.metadata.labels?.['controller.kubernetes.io/hash'], hashRevisionData(templatePatch(owner('a')), 0));
    assert.equal(r.revision.metadata.labels?.app, 'web');
    assert.deepEqual((r.revision.data as { spec: { template: { $patch: string } } }).spec.template.$patch, 'replace');
    assert.deepEqual(templateOfRevision(r.revision), (owner('a').spec as { template: unknown }).template);
  });

  it('reuses the newest equal revision, renumbers an older one (rollback)', async () => {
    const t = new RevisionApi();
    const c = new ApiClient(t);
    const revs = [rev('web-1', 1, 'a'), rev('web-2', 2, 'b')];
    const same = await ensureRevision({ client: c, owner: owner('b'), ownerRef: ref, revisions: revs, collisionCount: 0, hashOf: () => 'x' });
    assert.equal(same.revision.metadata.name, 'web-2');
    assert.equal(t.writes.length, 0);
    const back = await ensureRevision({ client: c, owner: owner('a'), ownerRef: ref, revisions: revs, collisionCount: 0, hashOf: () => 'x' });
    assert.equal(back.revision.metadata.name, 'web-1');
    assert.equal(back.revision.revision, 3);
    assert.equal(t.writes[0]!.method, 'PUT');
  });

  it('a name collision with other data bumps collisionCount', async () => {
    const t = new RevisionApi(new Map([['web-h0', rev('web-h0', 1, 'other')]]));
    const r = await ensureRevision({ client: new ApiClient(t), owner: owner('a'), ownerRef: ref, revisions: [], collisionCount: 0, hashOf: (n) => `h${n}` });
    assert.equal(r.collisionCount, 1);
    assert.equal(r.revision.metadata.name, 'web-h1');
  });

  it('truncates the oldest non-live revisions beyond the limit', async () => {
    const t = new RevisionApi();
    const revs = [rev('r3', 3, 'c'), rev('r1', 1, 'a'), rev('r2', 2, 'b'), rev('r4', 4, 'd')];
    assert.deepEqual(sortRevisions(revs).map((r) => r.metadata.name), ['r1', 'r2', 'r3', 'r4']);
    const gone = await truncateHistory(new ApiClient(t), revs, new Set(['r4', 'r1']), 1);
    assert.deepEqual(gone, ['r2']);
    assert.equal(t.writes[0]!.method, 'DELETE');
  });
});
