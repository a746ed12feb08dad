/**
 * The etcd backend: the store interface on the real etcd v3 API (etcd3 npm client), the way
 * kube-apiserver's etcd3 store uses it (k8s.io/apiserver/pkg/storage/etcd3/store.go):
 * create = Txn(CreateRevision == 0), update = Txn(ModRevision == expected), guarded delete
 * likewise, list = Range with limit at a revision, watch from a revision with prevKV,
 * compaction through Compact. Every key lives under `prefix`, so clusters can share one etcd.
 * Connection failures surface as `Unavailable`, compaction as `Compacted`.
 */
import { Etcd3, type IResponseOp, type ITxnResponse } from 'etcd3';
import { realClock, type Clock } from '../../util/clock.js';
import { Compactor, defaultCompactionPolicy, type CompactionPolicy } from '../compactor.js';
import { closedError, conflictError, keyExistsError, notFoundError } from '../errors.js';
import type { KeyValue, ListOptions, ListResult, Store, Watch, WatchOptions } from '../interface.js';
import { compareKeys } from '../keys.js';
import { KeyCodec, mapEtcdError } from './codec.js';
import { closeWatches, EtcdWatch } from './etcd-watch.js';
import { probeCompactedRevision } from './probe.js';

export interface EtcdStoreOptions {
  /** Client URLs, e.g. ['http://127.0.0.1:2379']. */
  endpoints: string[];
  /** Prefix of every key this store reads or writes (e.g. '/keks/cluster-1'). */
  prefix: string;
  clock?: Clock;
  /** Background compaction (compacts the whole etcd keyspace); false disables it. */
  compaction?: CompactionPolicy | false;
  /** Deadline for each unary call (ms, default 10 s). */
  requestTimeoutMs?: number;
}

export class EtcdStore implements Store {
  readonly kind = 'etcd' as const;
  readonly prefix: string;
  private readonly client: Etcd3;
  private readonly codec: KeyCodec;
  private readonly watches = new Set<EtcdWatch>();
  private readonly compactor: Compactor | undefined;
  private compacted = 0;
  /** The newest revision any response showed (the start of "from now" watches). */
  private seen = 0;
  private probed = false;
  private closed = false;

  private constructor(opts: EtcdStoreOptions) {
    this.prefix = opts.prefix;
    this.codec = new KeyCodec(opts.prefix);
    const timeout = opts.requestTimeoutMs ?? 10_000;
    this.client = new Etcd3({
      hosts: opts.endpoints,
      dialTimeout: timeout,
      // Unpaginated lists can be large; kube-apiserver's etcd client also lifts the 4 MiB default.
      grpcOptions: { 'grpc.max_receive_message_length': 2 ** 31 - 1 },
      defaultCallOptions: (ctx) => (ctx.isStream ? {} : { deadline: new Date(Date.now() + timeout) }),
    });
    const policy = opts.compaction === undefined ? defaultCompactionPolicy : opts.compaction;
    if (policy) this.compactor = new Compactor({ target: this, clock: opts.clock ?? realClock, policy });
  }

  /** Connects and checks that etcd answers (Unavailable if not). */
  static async connect(opts: EtcdStoreOptions): Promise<EtcdStore> {
    const s = new EtcdStore(opts);
    try {
      await s.currentRevision();
    } catch (err) {
      s.client.close();
      throw err;
    }
    s.compactor?.start();
    return s;
  }

  async get(key: string, revision?: number): Promise<KeyValue | null> {
    const res = await this.call(() => this.client.kv.range({ key: this.codec.encode(key), ...(revision ? { revision } : {}) }));
    const kv = res.kvs[0];
    return kv ? this.codec.toKv(kv) : null;
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    const from = opts.startAfter !== undefined && compareKeys(opts.startAfter, prefix) >= 0 ? Buffer.from(this.codec.encode(opts.startAfter + '\0')) : this.codec.encode(prefix);
    const limit = opts.limit && opts.limit > 0 ? opts.limit : 0;
    const res = await this.call(() =>
      this.client.kv.range({ key: from, range_end: this.codec.rangeEnd(prefix), limit, ...(opts.revision ? { revision: opts.revision } : {}) }),
    );
    const items = res.kvs.map((kv) => this.codec.toKv(kv));
    const revision = opts.revision || Number(res.header.revision);
    return { items, revision, more: res.more, remaining: Number(res.count) - items.length };
  }

  async count(prefix: string): Promise<number> {
    const res = await this.call(() => this.client.kv.range({ key: this.codec.encode(prefix), range_end: this.codec.rangeEnd(prefix), count_only: true }));
    return Number(res.count);
  }

  async create(key: string, value: string): Promise<KeyValue> {
    const k = this.codec.encode(key);
    const res = await this.txn({
      compare: [{ key: k, target: 'Create', result: 'Equal', create_revision: 0 }],
      success: [{ request_put: { key: k, value: Buffer.from(value) } }],
      failure: [{ request_range: { key: k } }],
    });
    if (!res.succeeded) {
      const cur = this.current(res.responses[0]);
      throw keyExistsError(key, cur ?? undefined);
    }
    const rev = Number(res.header.revision);
    return { key, value, createRevision: rev, modRevision: rev };
  }

  async update(key: string, value: string, expectedModRevision: number): Promise<KeyValue> {
    const k = this.codec.encode(key);
    const res = await this.txn({
      compare: [
        { key: k, target: 'Create', result: 'Greater', create_revision: 0 },
        { key: k, target: 'Mod', result: 'Equal', mod_revision: expectedModRevision },
      ],
      success: [{ request_put: { key: k, value: Buffer.from(value), prev_kv: true } }],
      failure: [{ request_range: { key: k } }],
    });
    if (!res.succeeded) throw this.guardError(key, expectedModRevision, res.responses[0]);
    const prev = res.responses[0]?.response_put.prev_kv;
    return { key, value, createRevision: Number(prev?.create_revision ?? res.header.revision), modRevision: Number(res.header.revision) };
  }

  async delete(key: string, expectedModRevision?: number): Promise<KeyValue> {
    const k = this.codec.encode(key);
    const res = await this.txn({
      compare: [
        { key: k, target: 'Create', result: 'Greater', create_revision: 0 },
        ...(expectedModRevision !== undefined ? [{ key: k, target: 'Mod' as const, result: 'Equal' as const, mod_revision: expectedModRevision }] : []),
      ],
      success: [{ request_delete_range: { key: k, prev_kv: true } }],
      failure: [{ request_range: { key: k } }],
    });
    if (!res.succeeded) throw this.guardError(key, expectedModRevision ?? -1, res.responses[0]);
    const prev = res.responses[0]?.response_delete_range.prev_kvs[0];
    if (!prev) throw notFoundError(key);
    return { ...this.codec.toKv(prev), modRevision: Number(res.header.revision) };
  }

  watch(opts: WatchOptions): Watch {
    const w = new EtcdWatch({
      client: this.client,
      codec: this.codec,
      opts,
      afterRevision: opts.afterRevision > 0 ? opts.afterRevision : this.seen,
      onCompacted: (rev) => (this.compacted = Math.max(this.compacted, rev)),
      onEnd: (x) => this.watches.delete(x),
    });
    if (this.closed) queueMicrotask(() => w.fail(closedError()));
    else this.watches.add(w);
    return w;
  }

  async currentRevision(): Promise<number> {
    const res = await this.call(() => this.client.kv.range({ key: this.codec.encode(''), count_only: true }));
    return Number(res.header.revision);
  }

  /**
   * The compacted revision as last observed: from this store's compactions and etcd's
   * compaction answers, plus one probe of etcd the first time (another client may have compacted).
   */
  async compactedRevision(): Promise<number> {
    this.ensureOpen();
    if (!this.probed) {
      this.probed = true;
      this.compacted = Math.max(this.compacted, await probeCompactedRevision(this.client, this.codec.encode('\0compaction-probe')));
    }
    return this.compacted;
  }

  /** Compacts etcd's whole keyspace to `revision` (etcd compaction is not per prefix). */
  async compact(revision: number): Promise<void> {
    if (revision <= this.compacted) return;
    try {
      await this.call(() => this.client.kv.compact({ revision }));
    } catch (err) {
      if ((err as { code?: string }).code !== 'Compacted') throw err;
    }
    this.compacted = Math.max(this.compacted, revision);
  }

  async sizeBytes(): Promise<number> {
    const st = await this.call(() => this.client.maintenance.status({}));
    return Number(st.dbSize);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.compactor?.stop();
    closeWatches(this.watches);
    this.client.close();
  }

  private txn(req: Parameters<Etcd3['kv']['txn']>[0]): Promise<ITxnResponse> {
    return this.call(() => this.client.kv.txn(req));
  }

  /** Runs an etcd call with the store's error mapping. */
  private async call<T>(fn: () => Promise<T>): Promise<T> {
    this.ensureOpen();
    try {
      const res = await fn();
      const rev = Number((res as { header?: { revision?: string } }).header?.revision ?? 0);
      if (rev > this.seen) this.seen = rev;
      return res;
    } catch (err) {
      if (this.closed) throw closedError();
      throw mapEtcdError(err, this.compacted);
    }
  }

  private current(op: IResponseOp | undefined): KeyValue | null {
    const kv = op?.response_range?.kvs[0];
    return kv ? this.codec.toKv(kv) : null;
  }

  private guardError(key: string, expected: number, op: IResponseOp | undefined): Error {
    const cur = this.current(op);
    return cur ? conflictError(key, expected, cur) : notFoundError(key);
  }

  private ensureOpen(): void {
    if (this.closed) throw closedError();
  }
}
