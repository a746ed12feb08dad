/**
 * One-off admin requests from the benchmark parent (namespaces, fixtures, current
 * resourceVersion) over a small keep-alive node:https client; not timed.
 */
import { nodeClient, type HttpClient } from './http-clients.js';
import type { Target } from './keks-process.js';
import { cmPath, configMapJson } from './load-job.js';

export class Admin {
  private readonly c: HttpClient;
  constructor(target: Target, private readonly connections = 16) {
    this.c = nodeClient(target, connections);
  }

  async json(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
    const r = await this.c.request(0, method, path, body === undefined ? undefined : JSON.stringify(body));
    let json: unknown = null;
    try { json = r.body.length ? JSON.parse(r.body.toString('utf8')) : null; } catch { /* not JSON */ }
    return { status: r.status, json };
  }

  async ensureNamespace(ns: string): Promise<void> {
    const r = await this.json('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    if (r.status !== 201 && r.status !== 409) throw new Error(`create namespace ${ns}: ${r.status} ${JSON.stringify(r.json)}`);
  }

  /** Creates ConfigMaps `names` (409 = already there) with `connections` in flight. */
  async ensureConfigMaps(ns: string, names: string[], payload: string): Promise<void> {
    let next = 0;
    await Promise.all(Array.from({ length: this.connections }, async (_, k) => {
      while (next < names.length) {
        const name = names[next++];
        const r = await this.c.request(k, 'POST', cmPath(ns), configMapJson(name, payload));
        if (r.status !== 201 && r.status !== 409) throw new Error(`create ${ns}/${name}: ${r.status} ${r.body.toString().slice(0, 200)}`);
      }
    }));
  }

  /** The collection's current resourceVersion (a LIST with limit=1). */
  async listRV(ns: string): Promise<string> {
    const r = await this.json('GET', `${cmPath(ns)}?limit=1`);
    const rv = (r.json as { metadata?: { resourceVersion?: string } } | null)?.metadata?.resourceVersion;
    if (r.status !== 200 || !rv) throw new Error(`list ${ns}: ${r.status}`);
    return rv;
  }

  close(): void {
    this.c.close();
  }
}
