/**
 * Serves /openapi/v2, /openapi/v3 (the index) and /openapi/v3/<key> (one document) as
 * kube-apiserver 1.32 does (k8s.io/kube-openapi/pkg/handler and pkg/handler3):
 *  - index: {"paths":{"<key>":{"serverRelativeURL":"/openapi/v3/<key>?hash=<H>"}}}, keys sorted,
 *    H = uppercase hex SHA-512 of the document; ETag = quoted SHA-512 of the index bytes.
 *  - document: Content-Type application/json, ETag "<H>", Vary: Accept; with ?hash=H it also
 *    sends Cache-Control: public, immutable and Expires one year ahead; with a stale ?hash it
 *    answers 301 to the current URL. If-None-Match / If-Modified-Since → 304.
 *  - /openapi/v2: JSON, or the gnostic protobuf (openapi.v2.Document) for Accept
 *    application/com.github.proto-openapi.spec.v2[@.]v1.0+protobuf (what kubectl asks for), with
 *    ETag (the JSON's hash for both) and 304. Anything else acceptable to neither → 406 Status.
 *  - v3 documents are JSON only: the v3 protobuf form is not produced (kubectl does not ask for
 *    it), so an Accept naming only it gets 406 with a Status.
 * Bodies are sent gzip-encoded when the client accepts gzip (the stored form; kube wraps v2 in
 * gziphandler). Range requests are not supported (ServeContent's are not used by clients).
 * Only handle() touches HTTP; documents come from an OpenApiDocumentStore.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { methodNotAllowedGeneric, notAcceptable, notFoundGeneric, serviceUnavailable, type StatusError } from '../../apimachinery/errors.js';
import { realClock, type Clock } from '../../util/clock.js';
import { findOpenApiDataDir } from './data-dir.js';
import { computeOpenApiHash, OpenApiDocumentStore, type OpenApiDocument, type OpenApiDocumentStoreOptions } from './document-store.js';
import { acceptsGzip, httpDate, isNotModified, negotiate, oneYearLater, parseAccept, quoteEtag } from './negotiation.js';

const JSON_TYPE = 'application/json';
/** v2 media types in kube-openapi's order (pkg/handler); the deprecated "@" form is answered with the new Content-Type. */
const V2_PROTOBUF_DEPRECATED = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';
const V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';
const V2_OFFERS = [JSON_TYPE, V2_PROTOBUF_DEPRECATED, V2_PROTOBUF] as const;
const V3_OFFERS = [JSON_TYPE] as const;

export interface OpenApiServiceOptions extends Partial<OpenApiDocumentStoreOptions> {
  /** A prepared store; when absent one is built from the other options (dataDir defaults to findOpenApiDataDir()). */
  store?: OpenApiDocumentStore;
}

interface Body { bytes: number; hash: string; lastModified: number; gzipped(): Promise<Buffer>; raw(): Promise<Buffer> }

export class OpenApiService {
  readonly store: OpenApiDocumentStore;
  private readonly clock: Clock;

  constructor(opts: OpenApiServiceOptions = {}) {
    this.clock = opts.clock ?? realClock;
    this.store = opts.store ?? new OpenApiDocumentStore({ ...opts, dataDir: opts.dataDir ?? findOpenApiDataDir(), clock: this.clock });
  }

  /** Serve a CRD's group-version document at /openapi/v3/<gvPath> ("apis/example.com/v1"). */
  setGroupVersion(gvPath: string, doc: object): void {
    this.store.setGroupVersion(gvPath, doc);
  }

  removeGroupVersion(gvPath: string): void {
    this.store.removeGroupVersion(gvPath);
  }

  /** The index body of /openapi/v3 (handler3 getGroupBytes). */
  indexBytes(): Buffer {
    const paths: Record<string, { serverRelativeURL: string }> = {};
    for (const { key, hash } of this.store.listV3()) paths[key] = { serverRelativeURL: serverRelativeURL(key, hash) };
    return Buffer.from(JSON.stringify({ paths }), 'utf8');
  }

  /**
   * Handles an /openapi request. Returns false (writing nothing) when `path` is not one of
   * /openapi/v2, /openapi/v3, /openapi/v3/<key>.
   */
  async handle(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<boolean> {
    const isV2 = path === '/openapi/v2';
    const isIndex = path === '/openapi/v3';
    const isDoc = path.startsWith('/openapi/v3/');
    if (!isV2 && !isIndex && !isDoc) return false;
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') {
      writeStatus(res, methodNotAllowedGeneric());
      return true;
    }
    try {
      if (isV2) await this.serveV2(req, res);
      else if (isIndex) await this.serveIndex(req, res);
      else await this.serveDocument(req, res, path.slice('/openapi/v3/'.length), query);
    } catch (err) {
      // A data file that cannot be read: answer 503 (kube-openapi: "only return a 503 if we have no older cache data").
      if (!res.headersSent) writeStatus(res, serviceUnavailable(`OpenAPI document unavailable: ${err instanceof Error ? err.message : String(err)}`));
      else res.destroy();
    }
    return true;
  }

  private async serveIndex(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const bytes = this.indexBytes();
    const hash = computeOpenApiHash(bytes);
    const body: Body = { bytes: bytes.length, hash, lastModified: this.store.lastModified(), gzipped: async () => bytes, raw: async () => bytes };
    res.setHeader('Content-Type', JSON_TYPE);
    await sendBody(req, res, body, { allowGzip: false });
  }

  private async serveV2(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('Vary', 'Accept');
    const protobuf = this.store.getV2Protobuf();
    const chosen = negotiate(parseAccept(req.headers.accept), protobuf ? V2_OFFERS : [JSON_TYPE]);
    if (!chosen) {
      writeStatus(res, notAcceptable(protobuf ? [JSON_TYPE, V2_PROTOBUF] : [JSON_TYPE]));
      return;
    }
    const isJson = chosen === JSON_TYPE;
    res.setHeader('Content-Type', isJson ? JSON_TYPE : V2_PROTOBUF);
    await sendBody(req, res, isJson || !protobuf ? this.store.getV2() : protobuf, { allowGzip: true });
  }

  private async serveDocument(req: IncomingMessage, res: ServerResponse, key: string, query: URLSearchParams): Promise<void> {
    const doc = this.store.getV3(key);
    if (!doc) {
      writeStatus(res, notFoundGeneric());
      return;
    }
    res.setHeader('Vary', 'Accept');
    const chosen = negotiate(parseAccept(req.headers.accept), V3_OFFERS);
    if (!chosen) {
      writeStatus(res, notAcceptable([JSON_TYPE]));
      return;
    }
    res.setHeader('Content-Type', JSON_TYPE);
    res.setHeader('ETag', quoteEtag(doc.hash));
    const hash = query.get('hash');
    if (hash) {
      if (hash !== doc.hash) {
        // handler3: http.Redirect(w, r, constructServerRelativeURL(group, etag), 301) after
        // Content-Type was set, so no HTML body is written.
        res.statusCode = 301;
        res.setHeader('Location', serverRelativeURL(key, doc.hash));
        res.setHeader('Content-Length', '0');
        res.end();
        return;
      }
      res.setHeader('Cache-Control', 'public, immutable');
      res.setHeader('Expires', httpDate(oneYearLater(this.clock.now())));
    }
    await sendBody(req, res, doc, { allowGzip: true });
  }
}

/** "/openapi/v3/<key>?hash=<H>" (handler3 constructServerRelativeURL). */
export function serverRelativeURL(key: string, hash: string): string {
  return `/openapi/v3/${key}?hash=${encodeURIComponent(hash)}`;
}

/** ServeContent: validators, 304, then the body (gzip when allowed and accepted). */
async function sendBody(req: IncomingMessage, res: ServerResponse, doc: Body | OpenApiDocument, opts: { allowGzip: boolean }): Promise<void> {
  const etag = quoteEtag(doc.hash);
  res.setHeader('ETag', etag);
  res.setHeader('Last-Modified', httpDate(doc.lastModified));
  const validators = { ifNoneMatch: header(req, 'if-none-match'), ifModifiedSince: header(req, 'if-modified-since') };
  if (isNotModified(validators, etag, doc.lastModified)) {
    res.removeHeader('Content-Type');
    res.removeHeader('Last-Modified');
    res.statusCode = 304;
    res.end();
    return;
  }
  const gz = opts.allowGzip && acceptsGzip(header(req, 'accept-encoding'));
  if (opts.allowGzip) res.appendHeader('Vary', 'Accept-Encoding');
  const body = gz ? await doc.gzipped() : await doc.raw();
  if (gz) res.setHeader('Content-Encoding', 'gzip');
  res.setHeader('Content-Length', String(body.length));
  res.statusCode = 200;
  if (req.method === 'HEAD') res.end();
  else res.end(body);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

function writeStatus(res: ServerResponse, err: StatusError): void {
  const body = Buffer.from(JSON.stringify(err.toStatus()), 'utf8');
  res.removeHeader('ETag');
  res.statusCode = err.code;
  res.setHeader('Content-Type', JSON_TYPE);
  res.setHeader('Content-Length', String(body.length));
  res.end(body);
}
