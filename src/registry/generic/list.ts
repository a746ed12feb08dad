/**
 * LIST semantics of kube-apiserver over the revisioned store: resourceVersion /
 * resourceVersionMatch, limit + continue (consistent pages at the first page's revision),
 * label/field filtering that keeps reading until a page is full, remainingItemCount only
 * for unfiltered lists (k8s.io/apiserver/pkg/storage/etcd3/store.go GetList).
 */
import type { KeyValue, Store } from '../../storage/interface.js';
import { isStorageError } from '../../storage/interface.js';
import { badRequest, resourceExpired, StatusError, type Qualified } from '../../apimachinery/errors.js';
import { ContinueExpiredError, decodeContinue, encodeContinue } from '../../apimachinery/continue.js';
import { decodeFromStorage, storedJsonWithVersion } from './codec.js';
import type { ListedItem, ListOptions, ListResult } from './options.js';
import { storageToStatus } from './storage-errors.js';

export function listedItem(kv: KeyValue): ListedItem {
  let text: string | undefined;
  let obj: ReturnType<typeof decodeFromStorage> | undefined;
  return { json: () => (text ??= storedJsonWithVersion(kv)), object: () => (obj ??= decodeFromStorage(kv)) };
}

export function parseResourceVersion(rv: string, what = 'resourceVersion'): number {
  if (!/^\d+$/.test(rv)) throw badRequest(`invalid ${what}: ${JSON.stringify(rv)}`);
  return Number(rv);
}

/** 504 "Too large resource version", as the watch cache answers a future revision. */
export function tooLargeResourceVersion(requested: number, current: number): StatusError {
  return new StatusError(504, 'Timeout', `Timeout: Too large resource version: ${requested}, current: ${current}`, {
    causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
    retryAfterSeconds: 1,
  });
}

export async function listFromStore(store: Store, prefix: string, opts: ListOptions, q: Qualified): Promise<ListResult> {
  let revision = 0;
  let startAfter: string | undefined;
  let fromKey = '';
  const exactRequested = opts.resourceVersionMatch === 'Exact';
  if (opts.continue) {
    const c = decodeContinue(opts.continue, prefix);
    startAfter = c.startAfter;
    fromKey = c.fromKey;
    revision = c.revision;
  } else if (opts.resourceVersion && opts.resourceVersion !== '0') {
    const rv = parseResourceVersion(opts.resourceVersion);
    const current = await store.currentRevision();
    if (rv > current) throw tooLargeResourceVersion(rv, current);
    if (exactRequested) revision = rv;
  }
  const limit = opts.limit && opts.limit > 0 ? opts.limit : 0;
  const filter = opts.filter;
  const items: ListedItem[] = [];
  let more = false;
  let lastKey: string | undefined;
  let remaining: number | undefined;
  let servedAt = revision;
  try {
    // Unfiltered: one read. Filtered with a limit: read chunks until the page is full.
    for (;;) {
      const want = limit ? limit - items.length : 0;
      const chunk = limit && !filter.everything ? Math.max(want, 500) : want;
      const page = await store.list(prefix, { revision: servedAt, limit: chunk, startAfter });
      servedAt = page.revision;
      let i = 0;
      for (; i < page.items.length; i++) {
        const kv = page.items[i];
        lastKey = kv.key;
        if (filter.everything) items.push(listedItem(kv));
        else {
          const it = listedItem(kv);
          if (filter.matches(it.object())) items.push(it);
        }
        if (limit && items.length >= limit) { i++; break; }
      }
      const leftInPage = i < page.items.length;
      more = leftInPage || page.more;
      if (filter.everything && page.remaining !== undefined) remaining = page.remaining + (page.items.length - i);
      if (!limit || items.length >= limit || !page.more) break;
      startAfter = lastKey;
    }
  } catch (e) {
    if (isStorageError(e, 'Compacted')) {
      // A continue from a compacted revision: 410 with a token to go on at the latest revision.
      if (opts.continue) throw new ContinueExpiredError(fromKey, prefix);
      throw resourceExpired('The resourceVersion for the provided list is too old.');
    }
    throw storageToStatus(e, q, '');
  }
  const result: ListResult = { items, resourceVersion: String(servedAt) };
  if (limit && more && lastKey !== undefined) {
    result.continue = encodeContinue(lastKey, prefix, servedAt);
    if (remaining !== undefined && remaining > 0) result.remainingItemCount = remaining;
  }
  return result;
}
