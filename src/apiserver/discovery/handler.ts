/**
 * Serving discovery: /api, /apis (legacy or aggregated by Accept), /apis/<group>, and the
 * APIResourceList of each group-version; ETag + If-None-Match → 304, Vary: Accept.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { notFoundGeneric } from '../../apimachinery/errors.js';
import { parseMediaRanges } from '../handlers/negotiation.js';
import type { DiscoveryDocuments } from './documents.js';

interface Rendered { body: string; etag: string; contentType: string }

function render(doc: object, contentType: string): Rendered {
  const body = JSON.stringify(doc);
  const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 32).toUpperCase()}"`;
  return { body, etag, contentType };
}

/** The aggregated version the client asked for (`as=APIGroupDiscoveryList`), or null for legacy. */
export function wantsAggregated(accept: string | undefined): 'v2' | 'v2beta1' | null {
  for (const r of parseMediaRanges(accept)) {
    if (r.type === 'application/json' && r.params.as === 'APIGroupDiscoveryList' && r.params.g === 'apidiscovery.k8s.io') {
      if (r.params.v === 'v2' || r.params.v === 'v2beta1') return r.params.v;
    }
    if (r.type === 'application/json' && !r.params.as) return null;
    if (r.type === '*/*') return null;
  }
  return null;
}

export class DiscoveryHandler {
  private readonly cache = new Map<string, Rendered>();
  private current: DiscoveryDocuments | undefined;

  constructor(private readonly build: () => DiscoveryDocuments, private readonly serverAddress: () => string) {}

  /** The current discovery documents (rebuilt after invalidate()). */
  get docs(): DiscoveryDocuments {
    return (this.current ??= this.build());
  }

  private cached(key: string, make: () => Rendered | undefined): Rendered | undefined {
    let r = this.cache.get(key);
    if (!r) {
      r = make();
      if (r) this.cache.set(key, r);
    }
    return r;
  }

  /** Handles discovery paths; returns false for anything else. */
  handle(req: IncomingMessage, res: ServerResponse, path: string): boolean {
    const segs = path.split('/').filter(Boolean);
    const accept = req.headers.accept;
    let r: Rendered | undefined;
    if (path === '/api' || path === '/api/' || path === '/apis' || path === '/apis/') {
      const legacy = segs[0] === 'api';
      const agg = wantsAggregated(accept);
      if (agg) {
        r = this.cached(`agg:${legacy}:${agg}`, () => render(this.docs.aggregated(legacy, agg), `application/json;g=apidiscovery.k8s.io;v=${agg};as=APIGroupDiscoveryList`));
      } else {
        r = legacy
          ? render(this.docs.apiVersions(this.serverAddress()), 'application/json')
          : this.cached('groups', () => render(this.docs.apiGroupList(), 'application/json'));
      }
    } else if (segs[0] === 'api' && segs.length === 2) {
      r = this.cached(`rl::${segs[1]}`, () => { const d = this.docs.apiResourceList('', segs[1]); return d && render(d, 'application/json'); });
    } else if (segs[0] === 'apis' && segs.length === 2) {
      r = this.cached(`g:${segs[1]}`, () => { const d = this.docs.apiGroupDoc(segs[1]); return d && render(d, 'application/json'); });
    } else if (segs[0] === 'apis' && segs.length === 3) {
      r = this.cached(`rl:${segs[1]}:${segs[2]}`, () => { const d = this.docs.apiResourceList(segs[1], segs[2]); return d && render(d, 'application/json'); });
    } else {
      return false;
    }
    if (!r) throw notFoundGeneric();
    const headers = { 'Content-Type': r.contentType, ETag: r.etag, Vary: 'Accept', 'Cache-Control': 'public' };
    if (req.headers['if-none-match'] === r.etag) {
      res.writeHead(304, headers);
      res.end();
      return true;
    }
    res.writeHead(200, { ...headers, 'Content-Length': Buffer.byteLength(r.body) });
    res.end(req.method === 'HEAD' ? undefined : r.body);
    return true;
  }

  /** Forget rendered documents (after the served set changes, e.g. a CRD). */
  invalidate(): void {
    this.cache.clear();
    this.current = undefined;
  }
}
