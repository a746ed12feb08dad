/**
 * WATCH over HTTP (k8s.io/apiserver/pkg/endpoints/handlers/watch.go): a chunked stream of
 * newline-delimited `{"type":…,"object":…}` events, headers flushed at once (kubectl's reflector
 * waits for them), optional bookmarks, timeoutSeconds, an ERROR event (e.g. 410 Expired) before
 * closing, and a closed stream for consumers too slow to keep up.
 */
import { badRequest, field, invalid, type FieldError } from '../../apimachinery/errors.js';
import type { KubeObject } from '../../api/types.js';
import type { WatchItem } from '../../registry/generic/watch-types.js';
import { buildFilter } from '../../registry/selection.js';
import { bookmarkObject } from '../../registry/generic/watch.js';
import type { ResourceRequest } from './context.js';
import { negotiate } from './negotiation.js';
import { listOptionsFrom } from './read.js';
import { toStatusError } from './respond.js';
import { buildTable, ensurePrinters, parseIncludeObject } from './table.js';

/** A watcher whose socket has this much unsent data is cut off (it re-watches from its last RV). */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
const BOOKMARK_INTERVAL_MS = 60_000;
const MIN_REQUEST_TIMEOUT_S = 1800;

/**
 * The encoded event line of the event being fanned out right now: every watcher of a resource
 * receives the same stored JSON (the same string) in a row, so the line is built and UTF-8
 * encoded once per event instead of once per watcher.
 */
let lastLine: { type: string; json: string; buf: Buffer } | undefined;
function sharedEventLine(type: string, json: string): Buffer {
  const l = lastLine;
  if (l && l.json === json && l.type === type) return l.buf;
  const buf = Buffer.from(`{"type":"${type}","object":${json}}\n`);
  lastLine = { type, json, buf };
  return buf;
}

/**
 * The concatenated lines of the batch being fanned out right now: unfiltered watchers of a
 * resource queue the very same line buffers in the same order, so the batch is joined once.
 */
let lastBatch: { parts: Array<string | Buffer>; buf: Buffer } | undefined;
function sharedBatch(parts: Array<string | Buffer>): Buffer {
  const l = lastBatch;
  if (l && l.parts.length === parts.length && l.parts.every((p, i) => p === parts[i] && typeof p !== 'string')) return l.buf;
  const buf = Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));
  lastBatch = { parts, buf };
  return buf;
}

function parseBool(name: string, v: string | null): boolean | undefined {
  if (v === null || v === '') return undefined;
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw badRequest(`invalid ${name}: ${JSON.stringify(v)}`);
}

export async function handleWatch(r: ResourceRequest): Promise<void> {
  const { served, query, res, req } = r;
  const repr = negotiate(req.headers.accept, true);
  const opts = listOptionsFrom(r, true);
  if (repr.kind === 'table') await ensurePrinters();
  // A watch on a named object (GET …/name?watch=true) is a watch with metadata.name pinned.
  if (r.info.name) {
    const sel = `metadata.name=${r.info.name}`;
    const fs = query.get('fieldSelector');
    opts.filter = buildFilter(served.spec.group, served.spec.resource, query.get('labelSelector'), fs ? `${fs},${sel}` : sel);
  }
  const allowBookmarks = parseBool('allowWatchBookmarks', query.get('allowWatchBookmarks')) ?? false;
  const sendInitialEvents = parseBool('sendInitialEvents', query.get('sendInitialEvents'));
  const errs: FieldError[] = [];
  if (sendInitialEvents !== undefined) {
    if (opts.resourceVersionMatch !== 'NotOlderThan') errs.push(field.forbidden('resourceVersionMatch', 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan'));
    if (sendInitialEvents && !allowBookmarks) errs.push(field.forbidden('allowWatchBookmarks', 'sendInitialEvents requires setting allowWatchBookmarks to true'));
  } else if (opts.resourceVersionMatch) {
    errs.push(field.forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided'));
  }
  if (errs.length) throw invalid({ group: 'meta.k8s.io', kind: 'ListOptions' }, '', errs);
  const timeoutText = query.get('timeoutSeconds');
  const timeoutS = timeoutText ? Number(timeoutText) : MIN_REQUEST_TIMEOUT_S * (1 + Math.random());
  if (!Number.isFinite(timeoutS) || timeoutS < 0) throw badRequest(`invalid timeoutSeconds: ${JSON.stringify(timeoutText)}`);

  const ns = served.spec.namespaced ? r.info.namespace : '';
  const sameVersion = served.apiVersion === served.storageApiVersion;
  const includeObject = repr.kind === 'table' ? parseIncludeObject(query.get('includeObject')) : 'Metadata';
  let headerSent = false;
  let tableHeaders = false;
  let closed = false;
  // The last delivered item; its resourceVersion is read only when a bookmark needs it (reading it
  // per event would decode every object the JSON fast path exists to leave undecoded).
  let lastItem: WatchItem | undefined;
  const pending: Array<string | Buffer> = [];

  const encode = (type: string, item: WatchItem): string | Buffer => {
    if (repr.kind === 'table' && type !== 'BOOKMARK' && type !== 'ERROR') {
      const obj = r.registry.toServed(served, item.object());
      const t = buildTable({
        group: served.spec.group, resource: served.spec.resource, version: repr.version, objects: [obj],
        now: new Date(r.clock.now()), includeObject, omitHeaders: tableHeaders,
      });
      tableHeaders = true;
      return `{"type":"${type}","object":${JSON.stringify(t)}}\n`;
    }
    // Bookmarks are built without a version; they carry the watched one.
    if (type === 'BOOKMARK') return `{"type":"BOOKMARK","object":${JSON.stringify({ ...item.object(), apiVersion: served.apiVersion })}}\n`;
    if (!sameVersion) return `{"type":"${type}","object":${JSON.stringify(r.registry.toServed(served, item.object()))}}\n`;
    return sharedEventLine(type, item.json());
  };

  // The events of one synchronous burst (a store batch fanned out to every watcher) leave in
  // one res.write on the next tick: one HTTP chunk and one TLS record per watcher and batch
  // instead of one per event. Same bytes after de-chunking, same order.
  let queued: Array<string | Buffer> = [];
  const flushQueued = (): void => {
    if (queued.length === 0) return;
    const parts = queued;
    queued = [];
    res.write(parts.length === 1 ? parts[0] : sharedBatch(parts));
  };
  const flush = (): void => {
    if (closed) return;
    flushQueued();
    if (res.writableLength > MAX_BUFFERED_BYTES) finish();
  };
  const write = (chunk: string | Buffer): void => {
    if (closed) return;
    if (!headerSent) { pending.push(chunk); return; }
    if (queued.length === 0) process.nextTick(flush);
    queued.push(chunk);
  };

  const live: { handle?: { stop(): void }; timer?: NodeJS.Timeout; bookmarks?: NodeJS.Timeout } = {};
  const finish = (): void => {
    if (closed) return;
    closed = true;
    live.handle?.stop();
    if (live.timer) clearTimeout(live.timer);
    if (live.bookmarks) clearInterval(live.bookmarks);
    if (headerSent) { flushQueued(); res.end(); }
  };

  const sink = {
    send(item: WatchItem): void {
      if (item.type !== 'ERROR') lastItem = item;
      write(encode(item.type, item));
    },
    fail(err: Error): void {
      const status = toStatusError(err).toStatus();
      write(`{"type":"ERROR","object":${JSON.stringify(status)}}\n`);
      finish();
    },
  };

  // res 'close' fires when the client goes away (IncomingMessage 'close' fires once the body is read).
  res.on('close', finish);
  // Errors before the stream starts (bad RV, 410 for a compacted RV) are plain HTTP errors.
  live.handle = await served.store.watch(ns, { ...opts, sendInitialEvents, allowWatchBookmarks: allowBookmarks }, sink);
  if (closed) { live.handle.stop(); return; }
  res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();
  headerSent = true;
  for (const c of pending.splice(0)) res.write(c);
  live.timer = setTimeout(finish, timeoutS * 1000);
  if (allowBookmarks) {
    live.bookmarks = setInterval(() => {
      const rev = Math.max(Number(lastItem?.object().metadata.resourceVersion) || 0, served.store.cacher.revision);
      const bm: KubeObject = bookmarkObject(served.spec.kind, served.apiVersion, rev);
      write(`{"type":"BOOKMARK","object":${JSON.stringify(bm)}}\n`);
    }, BOOKMARK_INTERVAL_MS);
  }
}
