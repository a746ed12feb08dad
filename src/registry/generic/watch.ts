/**
 * WATCH semantics (k8s.io/apiserver/pkg/storage/cacher): where a watch starts from
 * (resourceVersion unset/"0" → the current state as synthetic ADDED events, then changes;
 * N → every change after N; sendInitialEvents=true → the state, then a BOOKMARK annotated
 * `k8s.io/initial-events-end`), and bookmarks for clients that allow them.
 */
import type { KubeObject } from '../../api/types.js';
import type { Store } from '../../storage/interface.js';
import { isStorageError } from '../../storage/interface.js';
import { resourceExpired, type Qualified } from '../../apimachinery/errors.js';
import type { Cacher } from './cacher.js';
import { listedItem, parseResourceVersion, tooLargeResourceVersion } from './list.js';
import type { WatchOptions } from './options.js';
import { itemOf, type WatchHandle, type WatchSink } from './watch-types.js';
import { storageToStatus } from './storage-errors.js';

export interface WatchTarget {
  store: Store;
  cacher: Cacher;
  prefix: string;
  kind: string;
  apiVersion?: string;
  qualified: Qualified;
}

export function bookmarkObject(kind: string, apiVersion: string | undefined, rv: number, initialEventsEnd = false): KubeObject {
  const metadata: KubeObject['metadata'] = { resourceVersion: String(rv), creationTimestamp: null };
  if (initialEventsEnd) metadata.annotations = { 'k8s.io/initial-events-end': 'true' };
  return { kind, apiVersion, metadata };
}

export async function startWatch(t: WatchTarget, opts: WatchOptions, sink: WatchSink): Promise<WatchHandle> {
  const rvText = opts.resourceVersion ?? '';
  const fromState = opts.sendInitialEvents ?? (rvText === '' || rvText === '0');
  let after: number;
  await t.cacher.ready();
  try {
    if (fromState) {
      // The current state at one revision, then everything after it: no gap, no duplicate.
      const page = await t.store.list(t.prefix, {});
      after = page.revision;
      for (const kv of page.items) {
        const it = listedItem(kv);
        if (opts.filter.everything || opts.filter.matches(it.object())) sink.send({ type: 'ADDED', json: it.json, object: it.object });
      }
      if (opts.sendInitialEvents && opts.allowWatchBookmarks) {
        sink.send(itemOf('BOOKMARK', bookmarkObject(t.kind, t.apiVersion, after, true)));
      }
    } else if (rvText === '' || rvText === '0') {
      after = await t.store.currentRevision();
    } else {
      after = parseResourceVersion(rvText);
      const current = await t.store.currentRevision();
      if (after > current) throw tooLargeResourceVersion(after, current);
      const floor = await t.store.compactedRevision();
      if (after < floor) throw resourceExpired(`too old resource version: ${after} (${floor})`);
    }
  } catch (e) {
    if (isStorageError(e, 'Compacted')) throw resourceExpired(`too old resource version: ${rvText}`);
    throw storageToStatus(e, t.qualified, '');
  }
  // Errors after this point arrive through the sink (an ERROR event on the open stream).
  const wrapped: WatchSink = {
    send: (item) => sink.send(item),
    fail: (err) => {
      if (isStorageError(err, 'Compacted')) sink.fail(resourceExpired(`too old resource version: ${after} (${err.compactedRevision ?? ''})`));
      else sink.fail(storageToStatus(err, t.qualified, ''));
    },
  };
  return t.cacher.watch(t.prefix, after, opts.filter, wrapped);
}
