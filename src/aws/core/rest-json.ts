/**
 * The rest-json protocol (EKS): route matching on method + path template, request decoding and
 * response / error encoding as botocore's RestJSONParser reads them (botocore/parsers.py).
 *
 * - Paths: the raw path is split on '/' first and each segment percent-decoded after, so an ARN
 *   label sent as `arn%3Aaws%3Aiam%3A%3A1%3Arole%2FAdmin` is one segment (botocore quotes labels
 *   with safe chars `-._~` only). Greedy labels `{name+}` take the rest of the path.
 * - Bodies: JSON objects; empty → {}; anything else → 400 SerializationException.
 * - Success: JSON of the handler's value ({} when it returns nothing); `Date` values become epoch
 *   seconds (rest-json timestamps, e.g. "createdAt": 1565806986.506).
 * - Errors: status from the AwsError, header `x-amzn-ErrorType: <code>`, body `{message, …fields}`.
 */
import { AwsError, type RestJsonRoute, type RestJsonService } from './types.js';

interface CompiledRoute {
  route: RestJsonRoute;
  /** Literal segment, or a label (greedy: takes the remaining segments). */
  segments: Array<{ literal: string } | { label: string; greedy: boolean }>;
}

export interface RestJsonMatch {
  route: RestJsonRoute;
  params: Record<string, string>;
}

function splitPath(path: string): string[] {
  const segs = path.split('/');
  if (segs[0] === '') segs.shift();
  if (segs.length && segs[segs.length - 1] === '') segs.pop();
  return segs;
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new AwsError('SerializationException', `The path segment '${s}' is not valid percent-encoding.`, 400);
  }
}

/** Matches requests of one rest-json service to its routes. */
export class RestJsonRouter {
  private readonly routes: CompiledRoute[];

  constructor(service: RestJsonService) {
    this.routes = service.routes.map((route) => ({
      route,
      segments: splitPath(route.path.split('?')[0]).map((s) => {
        const m = /^\{([^}+]+)(\+)?\}$/.exec(s);
        return m ? { label: m[1], greedy: m[2] === '+' } : { literal: s };
      }),
    }));
  }

  /**
   * The route for `method` + raw path (still percent-encoded), or undefined. Literal segments
   * win over labels when both match (routes are tried most-literal first).
   */
  match(method: string, rawPath: string): RestJsonMatch | undefined {
    const raw = splitPath(rawPath);
    let best: { m: RestJsonMatch; literals: number } | undefined;
    for (const c of this.routes) {
      if (c.route.method !== method) continue;
      const params: Record<string, string> = {};
      let ok = true;
      let literals = 0;
      let i = 0;
      for (const seg of c.segments) {
        if ('literal' in seg) {
          if (raw[i] === undefined || decodeSegment(raw[i]) !== seg.literal) { ok = false; break; }
          literals++;
          i++;
        } else if (seg.greedy) {
          if (i >= raw.length) { ok = false; break; }
          params[seg.label] = raw.slice(i).map(decodeSegment).join('/');
          i = raw.length;
        } else {
          if (raw[i] === undefined || raw[i] === '') { ok = false; break; }
          params[seg.label] = decodeSegment(raw[i]);
          i++;
        }
      }
      if (!ok || i !== raw.length) continue;
      if (!best || literals > best.literals) best = { m: { route: c.route, params }, literals };
    }
    return best?.m;
  }

  /** True when some route has this path under another method (for the error wording). */
  pathKnown(rawPath: string): boolean {
    return ['GET', 'POST', 'PUT', 'DELETE'].some((m) => this.match(m, rawPath) !== undefined);
  }
}

/** Parses a rest-json request body: empty → {}, a JSON object, or 400 SerializationException. */
export function parseJsonBody(body: Buffer): Record<string, unknown> {
  const text = body.toString('utf8');
  if (text.trim() === '') return {};
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new AwsError('SerializationException', `The request body could not be parsed as JSON: ${(e as Error).message}`, 400);
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw new AwsError('SerializationException', 'The request body must be a JSON object.', 400);
  }
  return v as Record<string, unknown>;
}

/** JSON for a rest-json response: Date → epoch seconds (with milliseconds). */
export function restJsonBody(value: unknown): string {
  return JSON.stringify(value ?? {}, function replacer(this: Record<string, unknown>, key: string, v: unknown) {
    const original = this[key];
    return original instanceof Date ? original.getTime() / 1000 : v;
  });
}

/** Body of a rest-json error: `{message, ...fields}` (fields never override message). */
export function restJsonErrorBody(err: AwsError): string {
  const rest = Object.fromEntries(Object.entries(err.fields).filter(([k]) => k !== 'message'));
  return JSON.stringify({ message: err.message, ...rest });
}
