/**
 * Conversions between the store's string keys/values and etcd's bytes, and the mapping of
 * etcd/gRPC failures to StorageError codes.
 *
 * Keys live under a prefix (`/keks/<cluster>` …) so several keks clusters can share one etcd.
 * Range ends follow etcd's clientv3.GetPrefixRangeEnd (increment the last byte below 0xff).
 */
import type { IKeyValue } from 'etcd3';
import { StorageError, type KeyValue } from '../interface.js';

export class KeyCodec {
  private readonly prefix: string;
  private readonly prefixBytes: number;

  constructor(prefix: string) {
    this.prefix = prefix;
    this.prefixBytes = Buffer.byteLength(prefix);
  }

  encode(key: string): Buffer {
    return Buffer.from(this.prefix + key);
  }

  decode(key: Buffer): string {
    return key.toString('utf8', this.prefixBytes);
  }

  /** The end of the range of every key starting with `prefix` (under the store prefix). */
  rangeEnd(prefix: string): Buffer {
    return prefixRangeEnd(this.encode(prefix));
  }

  toKv(kv: IKeyValue): KeyValue {
    return { key: this.decode(kv.key), value: kv.value.toString(), createRevision: Number(kv.create_revision), modRevision: Number(kv.mod_revision) };
  }
}

/** etcd's GetPrefixRangeEnd: the first key after every key with this prefix ("\0" = to the end). */
export function prefixRangeEnd(key: Buffer): Buffer {
  const end = Buffer.from(key);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i]! < 0xff) {
      end[i]! += 1;
      return end.subarray(0, i + 1);
    }
  }
  return Buffer.from([0]);
}

const UNAVAILABLE_NAMES = new Set(['GRPCUnavailableError', 'GRPCDeadlineExceededError', 'GRPCCancelledError', 'GRPCInternalError', 'BrokenCircuitError', 'IsolatedCircuitError', 'TaskCancelledError', 'BulkheadRejectedError']);

/**
 * Maps an etcd3 client error to the store's errors: compaction → Compacted (410 upstream),
 * future revision → a plain Error (as errors.ts futureRevisionError), connection trouble → Unavailable,
 * a closed client → Closed. Anything else is returned unchanged.
 */
export function mapEtcdError(err: unknown, knownCompacted: number): Error {
  if (err instanceof StorageError) return err;
  const e = err instanceof Error ? err : new Error(String(err));
  const msg = e.message;
  if (msg.includes('required revision has been compacted')) {
    return new StorageError('Compacted', `etcd: ${msg}`, knownCompacted > 0 ? { compactedRevision: knownCompacted } : {});
  }
  if (msg.includes('required revision is a future revision')) return new Error(`etcd: ${msg}`);
  if (e.constructor.name === 'ClientClosedError') return new StorageError('Closed', 'etcd client is closed');
  const code = (e as { code?: unknown }).code;
  if (UNAVAILABLE_NAMES.has(e.constructor.name) || UNAVAILABLE_NAMES.has(e.name) || code === 14 || code === 4 || /ECONNREFUSED|ECONNRESET|No connection established|connect failed|deadline/i.test(msg)) {
    return new StorageError('Unavailable', `etcd unavailable: ${msg}`);
  }
  return e;
}
