/**
 * One etcd watch stream per store watch, on the raw Watch RPC (etcd3's WatchClient) rather than
 * etcd3's Watcher, because the compaction answer (WatchResponse.compact_revision) is needed to
 * report Compacted exactly and etcd3's Watcher drops it.
 *
 * The stream starts at start_revision = afterRevision (not +1) and drops events at exactly
 * afterRevision: etcd then rejects the watch when afterRevision itself is compacted, which is
 * the store contract ("afterRevision before the compacted revision → Compacted"), not etcd's
 * off-by-one. A broken stream ends the watch with Unavailable; the caller re-watches from its
 * last revision, as kube-apiserver's reflector does, so no event is lost or repeated.
 */
import type { Etcd3, IEvent, IWatchResponse } from 'etcd3';
import { closedError, compactedError } from '../errors.js';
import { StorageError, type KeyValue, type Watch, type WatchEvent, type WatchOptions } from '../interface.js';
import type { KeyCodec } from './codec.js';

export interface EtcdWatchOptions {
  client: Etcd3;
  codec: KeyCodec;
  opts: WatchOptions;
  /**
   * Deliver events after this revision: opts.afterRevision, or for "from now" (0) the newest
   * revision this client has seen, so every write it completed after watch() is included.
   */
  afterRevision: number;
  /** Told about the compacted revision etcd reports, and when the watch ends. */
  onCompacted: (revision: number) => void;
  onEnd: (w: EtcdWatch) => void;
}

type Stream = Awaited<ReturnType<Etcd3['watchClient']['watch']>>;

export class EtcdWatch implements Watch {
  private readonly o: EtcdWatchOptions;
  private stream: Stream | undefined;
  private done = false;

  constructor(o: EtcdWatchOptions) {
    this.o = o;
    void this.start();
  }

  stop(): void {
    if (this.done) return;
    this.done = true;
    this.o.onEnd(this);
    this.stream?.cancel();
  }

  /** Ends the watch with an error (at most once). */
  fail(err: Error): void {
    if (this.done) return;
    this.stop();
    this.o.opts.onError(err);
  }

  private async start(): Promise<void> {
    const { client, codec, opts } = this.o;
    let stream: Stream;
    try {
      stream = await client.watchClient.watch();
    } catch (err) {
      this.fail(new StorageError('Unavailable', `etcd watch: ${err instanceof Error ? err.message : String(err)}`));
      return;
    }
    if (this.done) {
      stream.cancel();
      return;
    }
    this.stream = stream;
    stream.on('data', (res: IWatchResponse) => this.onResponse(res));
    stream.on('error', (err: Error) => {
      this.fail(new StorageError('Unavailable', `etcd watch stream: ${err.message}`)); // no-op after stop()
    });
    stream.on('end', () => this.fail(new StorageError('Unavailable', 'etcd watch stream ended')));
    stream.write({
      create_request: {
        key: codec.encode(opts.prefix),
        range_end: codec.rangeEnd(opts.prefix),
        prev_kv: true,
        progress_notify: opts.onProgress !== undefined,
        ...(this.o.afterRevision > 0 ? { start_revision: this.o.afterRevision } : {}),
      },
    });
  }

  private onResponse(res: IWatchResponse): void {
    if (this.done) return;
    if (res.canceled) {
      const compacted = Number(res.compact_revision);
      if (compacted > 0) {
        this.o.onCompacted(compacted);
        this.fail(compactedError(this.o.afterRevision, compacted));
      } else this.fail(new StorageError('Unavailable', `etcd canceled the watch: ${res.cancel_reason || 'no reason given'}`));
      return;
    }
    if (res.created) return;
    if (res.events.length === 0) {
      this.o.opts.onProgress?.(Number(res.header.revision));
      return;
    }
    const out: WatchEvent[] = [];
    for (const e of res.events) {
      const ev = this.toEvent(e);
      if (ev.kv.modRevision > this.o.afterRevision) out.push(ev);
    }
    if (out.length === 0) return;
    try {
      this.o.opts.onEvent(out);
    } catch (err) {
      this.fail(err instanceof Error ? err : new Error(String(err)));
    }
  }

  private toEvent(e: IEvent): WatchEvent {
    const codec = this.o.codec;
    const prev: KeyValue | undefined = e.prev_kv ? codec.toKv(e.prev_kv) : undefined;
    if (e.type === 'Delete') {
      const kv: KeyValue = { key: codec.decode(e.kv.key), value: prev?.value ?? '', createRevision: prev?.createRevision ?? 0, modRevision: Number(e.kv.mod_revision) };
      return prev ? { type: 'delete', kv, prev } : { type: 'delete', kv };
    }
    const kv = codec.toKv(e.kv);
    if (kv.createRevision === kv.modRevision) return { type: 'create', kv };
    return prev ? { type: 'update', kv, prev } : { type: 'update', kv };
  }
}

/** Ends every watch of a closing store. */
export function closeWatches(watches: Iterable<EtcdWatch>): void {
  for (const w of [...watches]) w.fail(closedError());
}
