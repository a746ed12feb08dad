/**
 * A fake API for controller unit tests: LISTs answer from fixed object sets, watches stay open
 * (and can be fed events), writes are recorded and answered with the written object.
 */
import type { KubeObject } from '../../api/types.js';
import type { StreamHandle, Transport, TransportRequest, TransportResponse } from '../../client/transport.js';

export interface RecordedWrite { method: string; path: string; body: KubeObject | undefined }

export class FakeTransport implements Transport {
  readonly writes: RecordedWrite[] = [];
  private readonly watchers = new Map<string, Array<(text: string) => void>>();
  private seq = 100;

  /** `lists`: collection path (without query) → items. `hang`: never answer anything. */
  constructor(private readonly lists: Record<string, KubeObject[]>, private readonly hang = false) {}

  request(req: TransportRequest): Promise<TransportResponse> {
    if (this.hang) return new Promise(() => undefined);
    const path = req.path.split('?')[0] as string;
    if (req.method === 'GET') {
      const items = this.lists[path];
      if (!items) return Promise.resolve({ status: 404, headers: {}, body: JSON.stringify({ kind: 'Status', code: 404, reason: 'NotFound', message: 'not found' }) });
      return Promise.resolve({ status: 200, headers: {}, body: JSON.stringify({ kind: 'List', apiVersion: 'v1', metadata: { resourceVersion: '1' }, items }) });
    }
    const body = req.body ? JSON.parse(req.body) as KubeObject : undefined;
    this.writes.push({ method: req.method, path: req.path, body });
    const out = structuredClone(body ?? { metadata: {} }) as KubeObject;
    out.metadata ??= {};
    if (req.method === 'POST' && out.metadata.generateName && !out.metadata.name) out.metadata.name = `${out.metadata.generateName}${this.seq++}`;
    out.metadata.resourceVersion = String(this.seq++);
    return Promise.resolve({ status: req.method === 'POST' ? 201 : 200, headers: {}, body: JSON.stringify(out) });
  }

  stream(req: TransportRequest, cb: { onHead(status: number): void; onData(text: string): void; onEnd(err?: Error): void }): StreamHandle {
    const path = req.path.split('?')[0] as string;
    if (!this.hang) cb.onHead(200);
    const list = this.watchers.get(path) ?? [];
    list.push((t) => cb.onData(t));
    this.watchers.set(path, list);
    return { abort: () => cb.onEnd() };
  }

  /** Delivers a watch event to every watcher of `path`. */
  emit(path: string, type: 'ADDED' | 'MODIFIED' | 'DELETED', object: KubeObject): void {
    for (const w of this.watchers.get(path) ?? []) w(`${JSON.stringify({ type, object })}\n`);
  }
}
