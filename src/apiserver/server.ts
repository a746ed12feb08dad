/**
 * One cluster's Kubernetes API server as a request handler, built apart from listen() so tests
 * can drive it in-process. Request path (DESIGN.md): request info → authentication →
 * authorization → handler (discovery, OpenAPI, health, metrics, or a resource verb) → admission
 * → registry. Every request is counted in the metrics; in-flight requests are tracked so a
 * shutdown can finish them.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/log.js';
import { badRequest, methodNotAllowedGeneric, notFoundGeneric } from '../apimachinery/errors.js';
import type { UserInfo } from '../api/user.js';
import type { Registry } from '../registry/registry.js';
import type { AdmissionChain } from '../admission/chain.js';
import type { Authenticator } from '../auth/authn/types.js';
import { authenticate } from '../auth/authn/chain.js';
import type { Authorizer } from '../auth/authz/types.js';
import { authorize } from '../auth/authz/bootstrap.js';
import type { ApiMetrics } from '../observability/metrics.js';
import { parseRequestInfo, type RequestInfo } from './request-info.js';
import { DiscoveryDocuments } from './discovery/documents.js';
import { DiscoveryHandler } from './discovery/handler.js';
import type { ResourceRequest } from './handlers/context.js';
import { handleGet, handleList } from './handlers/read.js';
import { handleWatch } from './handlers/watch.js';
import { handleCreate, handlePatch, handleUpdate } from './handlers/write.js';
import { handleDelete, handleDeleteCollection } from './handlers/delete.js';
import { handleSubresource } from './handlers/subresources.js';
import { writeError, writeObject } from './handlers/respond.js';
import { versionInfo } from './version.js';
import { impersonatedUser } from './filters/impersonation.js';
import { isReviewRequest, serveReview } from './authz/reviews.js';
import type { ServiceAccountTokens } from '../auth/authn/serviceaccount/tokens.js';

/** The OpenAPI service's request interface (src/apiserver/openapi). */
export interface OpenApiEndpoint {
  handle(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<boolean>;
}

export interface ApiServerOptions {
  registry: Registry;
  admission: AdmissionChain;
  clock: Clock;
  logger: Logger;
  metrics: ApiMetrics;
  authenticators: Authenticator[];
  authorizers: Authorizer[];
  openapi?: OpenApiEndpoint;
  /** Issues and verifies service-account tokens (TokenRequest, OIDC discovery). */
  serviceAccountTokens?: ServiceAccountTokens;
  /** host:port clients use, for legacy /api serverAddressByClientCIDRs. */
  serverAddress?: () => string;
}

const HEALTH = new Set(['/healthz', '/livez', '/readyz']);

export class ApiServer {
  private readonly o: ApiServerOptions;
  readonly discovery: DiscoveryHandler;
  private inflight = 0;
  private drainWaiters: Array<() => void> = [];
  private shuttingDown = false;
  /** Set once the cluster finished bootstrapping; /readyz answers 503 until then and during shutdown. */
  ready = false;

  constructor(opts: ApiServerOptions) {
    this.o = opts;
    this.discovery = new DiscoveryHandler(() => new DiscoveryDocuments(opts.registry), opts.serverAddress ?? (() => '127.0.0.1:443'));
    // A CRD (un)served changes discovery at once.
    opts.registry.onChange(() => this.discovery.invalidate());
  }

  /** The Node request listener. */
  readonly handler = (req: IncomingMessage, res: ServerResponse): void => {
    const started = process.hrtime.bigint();
    this.inflight++;
    let counted = true;
    let info: RequestInfo | undefined;
    let user: UserInfo | undefined;
    res.on('close', () => {
      if (counted) this.release();
      const secs = Number(process.hrtime.bigint() - started) / 1e9;
      const i = info;
      if (i?.isResourceRequest) {
        this.o.metrics.observe({
          // kube-apiserver's metrics.CleanVerb: the HTTP method, LIST/WATCH for collection reads, APPLY for apply patches.
          verb: i.verb === 'watch' ? 'WATCH' : i.verb === 'list' ? 'LIST'
            : req.method === 'PATCH' && req.headers['content-type']?.startsWith('application/apply-patch') ? 'APPLY' : (req.method ?? 'GET').toUpperCase(),
          group: i.apiGroup, version: i.apiVersion, resource: i.resource,
          subresource: i.subresource, scope: i.name ? 'resource' : i.namespace ? 'namespace' : 'cluster', code: res.statusCode,
        }, secs);
      }
      if (this.o.logger.isLevelEnabled('debug')) {
        this.o.logger.debug({ method: req.method, path: i?.path, user: user?.username, code: res.statusCode, ms: Math.round(secs * 1000) }, 'request');
      }
    });
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://x');
      info = parseRequestInfo(req.method ?? 'GET', url.pathname, url.searchParams);
    } catch {
      writeError(res, badRequest(`invalid request URL: ${JSON.stringify(req.url)}`));
      return;
    }
    const ri = info;
    // Long-running requests (watches) are not waited for on shutdown, as kube-apiserver's
    // WithWaitGroup skips them (LongRunningFunc); they end when the server closes its connections.
    if (ri.verb === 'watch') { counted = false; this.release(); }
    this.serve(req, res, ri, url.searchParams, (u) => { user = u; }).catch((err) => {
      const se = writeError(res, err);
      if (se.code >= 500) this.o.logger.error({ err, path: ri.path }, 'request failed');
    });
  };

  private async serve(req: IncomingMessage, res: ServerResponse, info: RequestInfo, query: URLSearchParams, setUser: (u: UserInfo) => void): Promise<void> {
    const path = info.path;
    const requester = await authenticate(this.o.authenticators, req, path, info.isResourceRequest);
    // Impersonate-User/Group/Uid/Extra-* (filters/impersonation.go runs between authn and authz).
    const user = await impersonatedUser(req, requester, this.o.authorizers);
    setUser(user);
    await authorize(this.o.authorizers, {
      user, verb: info.verb, isResourceRequest: info.isResourceRequest, path, apiGroup: info.apiGroup,
      apiVersion: info.apiVersion, namespace: info.namespace, resource: info.resource, subresource: info.subresource, name: info.name,
    });
    if (!info.isResourceRequest) {
      await this.serveNonResource(req, res, path, query);
      return;
    }
    const served = this.o.registry.get(info.apiGroup, info.apiVersion, info.resource);
    if (!served) throw notFoundGeneric();
    if (info.apiPrefix === 'api' && info.apiGroup !== '') throw notFoundGeneric();
    if (served.spec.namespaced === false && info.namespace && info.resource !== 'namespaces') throw notFoundGeneric();
    const r: ResourceRequest = {
      req, res, query, info, user, served, registry: this.o.registry, admission: this.o.admission, clock: this.o.clock,
      serviceAccountTokens: this.o.serviceAccountTokens,
    };
    // authorization.k8s.io / authentication.k8s.io reviews: computed answers, never stored.
    if (isReviewRequest(info.apiGroup)) {
      await serveReview(r, { authorizers: this.o.authorizers, authenticators: this.o.authenticators });
      return;
    }
    if (info.subresource) {
      await handleSubresource(r);
      return;
    }
    if (!served.spec.verbs.includes(info.verb)) throw methodNotAllowedGeneric();
    switch (info.verb) {
      case 'get': await handleGet(r); break;
      case 'list': await handleList(r); break;
      case 'watch': await handleWatch(r); break;
      case 'create': await handleCreate(r); break;
      case 'update': await handleUpdate(r); break;
      case 'patch': await handlePatch(r); break;
      case 'delete': await handleDelete(r); break;
      case 'deletecollection': await handleDeleteCollection(r); break;
      default: throw methodNotAllowedGeneric();
    }
  }

  private async serveNonResource(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<void> {
    const base = '/' + (path.split('/')[1] ?? '');
    if (HEALTH.has(base)) return this.serveHealth(res, base, path, query);
    if (path === '/version' || path === '/version/') { writeObject(res, 200, versionInfo()); return; }
    if (path === '/metrics') {
      const m = await this.o.metrics.text();
      res.writeHead(200, { 'Content-Type': m.contentType });
      res.end(m.body);
      return;
    }
    // Service account issuer discovery (pkg/serviceaccount/openidmetadata.go); the
    // system:service-account-issuer-discovery ClusterRole grants these paths.
    if (path === '/.well-known/openid-configuration' && this.o.serviceAccountTokens) {
      const iss = this.o.serviceAccountTokens;
      writeObject(res, 200, iss.openidConfiguration(`https://${this.o.serverAddress?.() ?? '127.0.0.1:443'}/openid/v1/jwks`));
      return;
    }
    if (path === '/openid/v1/jwks' && this.o.serviceAccountTokens) {
      writeObject(res, 200, await this.o.serviceAccountTokens.jwks());
      return;
    }
    if (path === '/' ) {
      writeObject(res, 200, { paths: this.rootPaths() });
      return;
    }
    if (base === '/openapi' && this.o.openapi && await this.o.openapi.handle(req, res, path, query)) return;
    if ((base === '/api' || base === '/apis') && this.discovery.handle(req, res, path)) return;
    throw notFoundGeneric();
  }

  private rootPaths(): string[] {
    const docs = this.discovery.docs;
    const paths = ['/api', '/api/v1', '/apis', '/healthz', '/livez', '/metrics', '/openapi/v2', '/openapi/v3', '/readyz', '/version'];
    for (const g of docs.groups) if (g.name) { paths.push(`/apis/${g.name}`); for (const v of g.versions) paths.push(`/apis/${g.name}/${v}`); }
    return paths.sort();
  }

  /** /healthz, /livez, /readyz (and /<check> sub-paths, `?verbose`), as kube-apiserver's healthz package. */
  private serveHealth(res: ServerResponse, base: string, path: string, query: URLSearchParams): void {
    const checks: Array<[string, boolean]> = [['ping', true], ['log', true], ['etcd', true]];
    if (base === '/readyz') checks.push(['informer-sync', this.ready], ['shutdown', !this.shuttingDown]);
    const sub = path.slice(base.length + 1);
    if (sub) {
      const c = checks.find(([n]) => n === sub);
      if (!c) throw notFoundGeneric();
      res.writeHead(c[1] ? 200 : 503, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
      res.end(c[1] ? 'ok' : `internal server error: ${c[0]} check failed`);
      return;
    }
    const ok = checks.every(([, v]) => v);
    const verbose = query.has('verbose');
    let body = 'ok';
    if (verbose || !ok) {
      const lines = checks.map(([n, v]) => (v ? `[+]${n} ok` : `[-]${n} failed: reason withheld`));
      body = `${lines.join('\n')}\n${base.slice(1)} check ${ok ? 'passed' : 'failed'}\n`;
    }
    res.writeHead(ok ? 200 : 503, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
    res.end(body);
  }

  /** Stop reporting ready, then wait (bounded) for in-flight requests other than watches to finish. */
  async drain(timeoutMs = 5000): Promise<void> {
    this.shuttingDown = true;
    if (this.inflight === 0) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, timeoutMs);
      this.drainWaiters.push(() => { clearTimeout(t); resolve(); });
    });
  }

  private release(): void {
    this.inflight--;
    if (this.inflight === 0 && this.drainWaiters.length) for (const w of this.drainWaiters.splice(0)) w();
  }

  get inflightRequests(): number {
    return this.inflight;
  }
}

