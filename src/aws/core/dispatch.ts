/**
 * The AWS endpoint's request pipeline without a socket: one HTTP request in, one response out.
 *
 *   credential scope (Authorization or X-Amz-Credential) → service(s) by signing name
 *   → query/ec2: parameters (query string + form body), Version picks among services sharing a
 *     signing name (ELB classic / ELBv2); unsigned requests fall back to Version → service
 *   → SigV4 check (sigv4-verify.ts) → Action / route → handler → protocol envelope.
 *
 * Authentication comes before the operation lookup (an anonymous caller learns nothing about
 * actions). Only STS AssumeRoleWithWebIdentity may be unsigned (as on AWS); its caller is the
 * anonymous principal of the default account (`accessKeyId` ''). Every failure is an AwsError
 * answered in the protocol's envelope with a 4xx; anything else is a bug → 500 InternalFailure,
 * logged. Nothing here throws to the caller.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { realClock, type Clock } from '../../util/clock.js';
import type { Logger } from '../../util/log.js';
import { paramsFromSearch, FormQueryParams } from './query-params.js';
import { RestJsonRouter, parseJsonBody, restJsonBody, restJsonErrorBody } from './rest-json.js';
import { SigV4ParseError, parseCredentialScope, parsePresignedQuery } from './sigv4.js';
import { amzDate } from './sigv4-sign.js';
import { sigV4Error, verifyRequestSignature, SIGV4_MESSAGES } from './sigv4-verify.js';
import {
  AwsError, isAwsError, type AwsPrincipal, type AwsRequestContext, type AwsService, type CredentialStore,
  type QueryService, type RestJsonService, type XmlObject,
} from './types.js';
import { ec2ErrorXml, ec2ResponseXml, queryErrorXml, queryResponseXml } from './xml.js';

export interface AwsHttpRequest {
  method: string;
  /** Request target as sent: `/path?query` (still percent-encoded). */
  rawUrl: string;
  /** Header pairs as received (Node's rawHeaders), any case. */
  headers: ReadonlyArray<readonly [string, string]>;
  body: Buffer;
}

export interface AwsHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface AwsDispatcherOptions {
  services: AwsService[];
  credentials: CredentialStore;
  clock?: Clock;
  logger?: Logger;
  /** Account of anonymous callers (unsigned AssumeRoleWithWebIdentity). Default 000000000000. */
  defaultAccountId?: string;
  /** Region of unsigned requests (no credential scope). Default us-east-1. */
  defaultRegion?: string;
  /** Request id source (tests). Default: random UUIDs. */
  newRequestId?: () => string;
  /**
   * Reject header-signed requests whose X-Amz-Date is further than this from now (AWS: 15 min).
   * Default: not enforced (scripted labs replay requests; a FakeClock may run ahead).
   */
  maxClockSkewMs?: number;
}

/** Protocol + namespace an error is answered in. */
interface ErrorStyle { protocol: 'query' | 'ec2' | 'rest-json'; xmlns?: string }

/** Operations AWS serves without a signature, by signing name. */
const UNSIGNED_OPERATIONS: Record<string, string[]> = { sts: ['AssumeRoleWithWebIdentity'] };

/** The caller of an unsigned request. */
export function anonymousPrincipal(accountId: string): AwsPrincipal {
  return { accountId, arn: 'anonymous', userId: 'anonymous', type: 'user' };
}

function header(headers: AwsHttpRequest['headers'], name: string): string | undefined {
  return headers.find(([k]) => k.toLowerCase() === name)?.[1];
}

function splitTarget(rawUrl: string): { rawPath: string; rawQuery: string } {
  const q = rawUrl.indexOf('?');
  return q < 0 ? { rawPath: rawUrl, rawQuery: '' } : { rawPath: rawUrl.slice(0, q), rawQuery: rawUrl.slice(q + 1) };
}

function isForm(headers: AwsHttpRequest['headers']): boolean {
  return /application\/x-www-form-urlencoded/i.test(header(headers, 'content-type') ?? '');
}

/** The credential scope's signing name and region, without verifying anything (routing only). */
function peekScope(req: AwsHttpRequest, rawQuery: string): { service: string; region: string } | undefined {
  try {
    const auth = header(req.headers, 'authorization');
    if (auth) {
      const m = /Credential=([^,\s]+)/.exec(auth);
      return m ? parseCredentialScope(m[1]) : undefined;
    }
    if (/(^|&)X-Amz-Credential=/i.test(rawQuery)) return parsePresignedQuery(rawQuery).scope;
  } catch (e) {
    if (!(e instanceof SigV4ParseError)) throw e;
  }
  return undefined;
}

function isSigned(req: AwsHttpRequest, rawQuery: string): boolean {
  return Boolean(header(req.headers, 'authorization')) || /(^|&)X-Amz-Credential=/i.test(rawQuery);
}

export class AwsDispatcher {
  private readonly bySigningName = new Map<string, AwsService[]>();
  private readonly byVersion = new Map<string, QueryService>();
  private readonly routers = new Map<RestJsonService, RestJsonRouter>();
  private readonly credentials: CredentialStore;
  private readonly clock: Clock;
  private readonly logger: Logger | undefined;
  private readonly defaultAccountId: string;
  private readonly defaultRegion: string;
  private readonly newRequestId: () => string;
  private readonly maxClockSkewMs: number | undefined;

  constructor(opts: AwsDispatcherOptions) {
    for (const s of opts.services) {
      const list = this.bySigningName.get(s.signingName) ?? [];
      list.push(s);
      this.bySigningName.set(s.signingName, list);
      if (s.protocol === 'rest-json') this.routers.set(s, new RestJsonRouter(s));
      else this.byVersion.set(s.version, s);
    }
    this.credentials = opts.credentials;
    this.clock = opts.clock ?? realClock;
    this.logger = opts.logger;
    this.defaultAccountId = opts.defaultAccountId ?? '000000000000';
    this.defaultRegion = opts.defaultRegion ?? 'us-east-1';
    this.newRequestId = opts.newRequestId ?? randomUUID;
    this.maxClockSkewMs = opts.maxClockSkewMs;
  }

  /** Signing names served (for the health answer and logs). */
  signingNames(): string[] {
    return [...this.bySigningName.keys()].sort();
  }

  /** Answers one request; never throws. */
  async handle(req: AwsHttpRequest): Promise<AwsHttpResponse> {
    const requestId = this.newRequestId();
    const started = performance.now();
    const info = { service: '-', operation: '-' };
    let style: ErrorStyle = this.guessStyle(req);
    let res: AwsHttpResponse;
    try {
      res = await this.route(req, requestId, info, (s) => { style = s; });
    } catch (e) {
      let err: AwsError;
      if (isAwsError(e)) err = e;
      else {
        this.logger?.error({ err: e, requestId, service: info.service, operation: info.operation }, 'aws: internal error');
        err = new AwsError('InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.', 500);
      }
      res = this.errorResponse(err, style, requestId);
    }
    this.logger?.debug({ requestId, service: info.service, operation: info.operation, status: res.status, ms: Math.round((performance.now() - started) * 100) / 100 }, 'aws request');
    return res;
  }

  /** An error answered in the envelope the request's (guessed) protocol expects. */
  reject(req: AwsHttpRequest, err: AwsError): AwsHttpResponse {
    return this.errorResponse(err, this.guessStyle(req), this.newRequestId());
  }

  private guessStyle(req: AwsHttpRequest): ErrorStyle {
    const { rawQuery } = splitTarget(req.rawUrl);
    let scope: { service: string } | undefined;
    try { scope = peekScope(req, rawQuery); } catch { scope = undefined; }
    const svc = scope ? this.bySigningName.get(scope.service)?.[0] : undefined;
    if (svc) return svc.protocol === 'rest-json' ? { protocol: 'rest-json' } : { protocol: svc.protocol, xmlns: svc.xmlns };
    if (isForm(req.headers) || /(^|&)Action=/.test(rawQuery)) return { protocol: 'query' };
    return { protocol: 'rest-json' };
  }

  private async route(req: AwsHttpRequest, requestId: string, info: { service: string; operation: string }, setStyle: (s: ErrorStyle) => void): Promise<AwsHttpResponse> {
    const { rawPath, rawQuery } = splitTarget(req.rawUrl);
    const signed = isSigned(req, rawQuery);
    const scope = peekScope(req, rawQuery);
    if (!signed && req.method === 'GET' && rawQuery === '' && (rawPath === '/' || rawPath === '')) return this.health(requestId);

    let candidates: AwsService[];
    if (scope) {
      candidates = this.bySigningName.get(scope.service) ?? [];
      info.service = scope.service;
      if (candidates.length === 0) {
        throw new AwsError('UnknownService', `keks does not serve the AWS service '${scope.service}' (credential scope ${scope.region}/${scope.service}); served: ${this.signingNames().join(', ')}.`, 400);
      }
    } else {
      candidates = [];
    }

    const first = candidates[0];
    if (first?.protocol === 'rest-json') {
      setStyle({ protocol: 'rest-json' });
      return this.restJson(first, req, rawPath, requestId, info, scope);
    }
    if (signed && !scope) {
      // A signature we cannot even route by: report it in the guessed protocol.
      return this.fail(req);
    }
    return this.query(candidates as QueryService[], req, rawQuery, requestId, info, scope, setStyle);
  }

  /** Verifies a signed request; throws the protocol's 403 on failure. */
  private authenticate(req: AwsHttpRequest, protocol: ErrorStyle['protocol']): { caller: AwsPrincipal; accessKeyId: string; region: string } {
    const now = this.clock.now();
    const r = verifyRequestSignature(req, this.credentials, now);
    if (!r.ok) throw sigV4Error(r, protocol);
    if (this.maxClockSkewMs !== undefined && !r.presigned && r.signedAt !== undefined) {
      // Wording of AWS's skew rejections (SignatureDoesNotMatch / InvalidSignatureException).
      const mins = Math.round(this.maxClockSkewMs / 60_000);
      if (r.signedAt < now - this.maxClockSkewMs) {
        throw sigV4Error({ reason: 'bad-signature', message: `Signature expired: ${amzDate(r.signedAt)} is now earlier than ${amzDate(now - this.maxClockSkewMs)} (${amzDate(now)} - ${mins} min.)` }, protocol);
      }
      if (r.signedAt > now + this.maxClockSkewMs) {
        throw sigV4Error({ reason: 'bad-signature', message: `Signature not yet current: ${amzDate(r.signedAt)} is still later than ${amzDate(now + this.maxClockSkewMs)} (${amzDate(now)} + ${mins} min.)` }, protocol);
      }
    }
    return { caller: r.key.principal, accessKeyId: r.key.accessKeyId, region: r.scope.region };
  }

  private fail(req: AwsHttpRequest): never {
    const r = verifyRequestSignature(req, this.credentials, this.clock.now());
    const style = this.guessStyle(req);
    throw sigV4Error(r.ok ? { reason: 'malformed', message: SIGV4_MESSAGES.malformed } : r, style.protocol);
  }

  private async query(
    candidates: QueryService[], req: AwsHttpRequest, rawQuery: string, requestId: string,
    info: { service: string; operation: string }, scope: { service: string; region: string } | undefined,
    setStyle: (s: ErrorStyle) => void,
  ): Promise<AwsHttpResponse> {
    const flat = paramsFromSearch(new URLSearchParams(rawQuery));
    if (req.method === 'POST' && (isForm(req.headers) || !header(req.headers, 'content-type'))) {
      // Form body parameters win over query-string ones of the same name.
      for (const [k, v] of paramsFromSearch(new URLSearchParams(req.body.toString('utf8')))) flat.set(k, v);
    }
    const action = flat.get('Action');
    const version = flat.get('Version');
    let svc: QueryService | undefined;
    if (scope) {
      svc = candidates.find((s) => s.version === version) ?? (candidates.length === 1 ? candidates[0] : undefined);
      if (!svc) {
        setStyle({ protocol: candidates[0].protocol, xmlns: candidates[0].xmlns });
        this.authenticate(req, candidates[0].protocol);
        throw new AwsError('InvalidAction', `Could not find operation ${action ?? ''} for version ${version ?? ''}`, 400);
      }
    } else {
      svc = version ? this.byVersion.get(version) : undefined;
      if (!svc) throw sigV4Error({ reason: 'missing', message: SIGV4_MESSAGES.missing }, this.guessStyle(req).protocol);
    }
    setStyle({ protocol: svc.protocol, xmlns: svc.xmlns });
    info.service = svc.signingName;
    info.operation = action ?? '-';

    let who: { caller: AwsPrincipal; accessKeyId: string; region: string };
    if (scope) who = this.authenticate(req, svc.protocol);
    else if (action && UNSIGNED_OPERATIONS[svc.signingName]?.includes(action) && Object.hasOwn(svc.actions, action)) {
      who = { caller: anonymousPrincipal(this.defaultAccountId), accessKeyId: '', region: this.defaultRegion };
    } else throw sigV4Error({ reason: 'missing', message: SIGV4_MESSAGES.missing }, svc.protocol);

    if (!action) throw new AwsError('MissingAction', 'Missing Action', 400);
    if (!Object.hasOwn(svc.actions, action)) throw new AwsError('InvalidAction', `Could not find operation ${action} for version ${version ?? svc.version}`, 400);
    const ctx: AwsRequestContext = { requestId, region: who.region, caller: who.caller, accessKeyId: who.accessKeyId, service: svc.signingName, operation: action };
    const params = new FormQueryParams({ params: flat, convention: svc.protocol });
    const out = (await svc.actions[action](params, ctx)) ?? {};
    if (svc.protocol === 'query' && /application\/json/i.test(header(req.headers, 'accept') ?? '')) {
      // STS answers `Accept: application/json` (aws-iam-authenticator asks GetCallerIdentity so).
      const json = { [`${action}Response`]: { [`${action}Result`]: out, ResponseMetadata: { RequestId: requestId } } };
      return { status: 200, headers: { 'content-type': 'application/json', 'x-amzn-RequestId': requestId }, body: restJsonBody(json) };
    }
    const xml = svc.protocol === 'ec2'
      ? ec2ResponseXml(action, svc.xmlns, out as XmlObject, requestId)
      : queryResponseXml(action, svc.xmlns, out as XmlObject, requestId);
    return { status: 200, headers: { 'content-type': 'text/xml', 'x-amzn-RequestId': requestId }, body: xml };
  }

  private async restJson(
    svc: RestJsonService, req: AwsHttpRequest, rawPath: string, requestId: string,
    info: { service: string; operation: string }, scope: { service: string; region: string } | undefined,
  ): Promise<AwsHttpResponse> {
    if (!scope) throw sigV4Error({ reason: 'missing', message: 'Missing Authentication Token' }, 'rest-json');
    const who = this.authenticate(req, 'rest-json');
    const router = this.routers.get(svc) as RestJsonRouter;
    const m = router.match(req.method, rawPath);
    if (!m) {
      const why = router.pathKnown(rawPath) ? `the method ${req.method} is not allowed on` : 'no operation matches';
      throw new AwsError('UnknownOperationException', `${svc.signingName}: ${why} ${req.method} ${rawPath}`, 404);
    }
    info.operation = m.route.operation;
    const body = parseJsonBody(req.body);
    const ctx: AwsRequestContext = { requestId, region: who.region, caller: who.caller, accessKeyId: who.accessKeyId, service: svc.signingName, operation: m.route.operation };
    const query = new URLSearchParams(splitTarget(req.rawUrl).rawQuery);
    const out = await m.route.handler({ params: m.params, query, body }, ctx);
    return { status: m.route.status ?? 200, headers: { 'content-type': 'application/json', 'x-amzn-RequestId': requestId }, body: restJsonBody(out) };
  }

  private health(requestId: string): AwsHttpResponse {
    return {
      status: 200,
      headers: { 'content-type': 'application/json', 'x-amzn-RequestId': requestId },
      body: JSON.stringify({ service: 'keks AWS endpoint', services: this.signingNames() }),
    };
  }

  private errorResponse(err: AwsError, style: ErrorStyle, requestId: string): AwsHttpResponse {
    const status = err.status >= 400 && err.status <= 599 ? err.status : 400;
    if (style.protocol === 'rest-json') {
      return {
        status,
        headers: { 'content-type': 'application/json', 'x-amzn-RequestId': requestId, 'x-amzn-ErrorType': err.code },
        body: restJsonErrorBody(err),
      };
    }
    const body = style.protocol === 'ec2'
      ? ec2ErrorXml({ code: err.code, message: err.message, requestId })
      : queryErrorXml({ code: err.code, message: err.message, requestId, status, ...(style.xmlns ? { xmlns: style.xmlns } : {}) });
    return { status, headers: { 'content-type': 'text/xml', 'x-amzn-RequestId': requestId }, body };
  }
}
