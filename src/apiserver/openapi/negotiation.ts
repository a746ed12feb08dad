/**
 * HTTP helpers of the OpenAPI endpoints, free of any server object so they test in isolation:
 * Accept parsing and matching as github.com/munnerz/goautoneg (used by kube-openapi's handlers),
 * conditional GET evaluation as Go's net/http ServeContent (If-None-Match, then
 * If-Modified-Since), Accept-Encoding for gzip, and HTTP dates.
 */

export interface AcceptClause { type: string; subType: string; q: number; params: number }

/** Parses an Accept header into clauses sorted as goautoneg.ParseAccept (q desc, specific before wildcard). */
export function parseAccept(header: string | undefined): AcceptClause[] {
  const clauses: AcceptClause[] = [];
  for (const part of (header && header.trim() ? header : '*/*').split(',')) {
    const [mediaRange, ...paramParts] = part.split(';').map((s) => s.trim());
    if (!mediaRange) continue;
    const slash = mediaRange.indexOf('/');
    const type = slash < 0 ? mediaRange : mediaRange.slice(0, slash);
    const subType = slash < 0 ? '*' : mediaRange.slice(slash + 1);
    let q = 1;
    let params = 0;
    for (const p of paramParts) {
      const eq = p.indexOf('=');
      const name = (eq < 0 ? p : p.slice(0, eq)).trim().toLowerCase();
      if (name === 'q') {
        const v = Number(p.slice(eq + 1));
        q = Number.isFinite(v) ? v : 0;
      } else if (name) params++;
    }
    clauses.push({ type: type.toLowerCase(), subType: subType.toLowerCase(), q, params });
  }
  return clauses
    .map((c, i) => ({ c, i }))
    .sort((a, b) => b.c.q - a.c.q || specificity(b.c) - specificity(a.c) || b.c.params - a.c.params || a.i - b.i)
    .map((x) => x.c);
}

function specificity(c: AcceptClause): number {
  return (c.type === '*' ? 0 : 2) + (c.subType === '*' ? 0 : 1);
}

/**
 * The first offered media type ("application/json") the clauses accept, walking clauses in
 * order and, within a clause, the offers in order (kube-openapi handler loop). q=0 excludes.
 */
export function negotiate(clauses: AcceptClause[], offers: readonly string[]): string | undefined {
  for (const c of clauses) {
    if (c.q <= 0) continue;
    for (const offer of offers) {
      const [type, subType] = offer.split('/') as [string, string];
      if ((c.type === type || c.type === '*') && (c.subType === subType || c.subType === '*')) return offer;
    }
  }
  return undefined;
}

/** True when Accept-Encoding allows gzip (gziphandler semantics: "gzip" or "*" with q > 0). */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  for (const part of header.split(',')) {
    const [coding, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    if (coding !== 'gzip' && coding !== '*') continue;
    const q = params.find((p) => p.startsWith('q='));
    if (!q || Number(q.slice(2)) > 0) return true;
  }
  return false;
}

/** ETag header value for a hash: double-quoted (strconv.Quote). */
export function quoteEtag(hash: string): string {
  return `"${hash}"`;
}

/**
 * Whether a GET/HEAD with these validators may be answered 304 (net/http checkIfNoneMatch with
 * weak comparison, and checkIfModifiedSince only when there is no If-None-Match).
 */
export function isNotModified(headers: { ifNoneMatch?: string; ifModifiedSince?: string }, etag: string, lastModifiedMs: number): boolean {
  if (headers.ifNoneMatch !== undefined) {
    const wanted = stripWeak(etag);
    for (const raw of headers.ifNoneMatch.split(',')) {
      const tag = raw.trim();
      if (tag === '*' || stripWeak(tag) === wanted) return true;
    }
    return false;
  }
  if (headers.ifModifiedSince !== undefined && lastModifiedMs > 0) {
    const since = Date.parse(headers.ifModifiedSince);
    if (Number.isNaN(since)) return false;
    return Math.floor(lastModifiedMs / 1000) * 1000 <= since;
  }
  return false;
}

function stripWeak(tag: string): string {
  return tag.startsWith('W/') ? tag.slice(2) : tag;
}

/** IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), as http.TimeFormat. */
export function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}

/** One calendar year after `ms` (time.AddDate(1, 0, 0)), for the Expires of hashed URLs. */
export function oneYearLater(ms: number): number {
  const d = new Date(ms);
  d.setUTCFullYear(d.getUTCFullYear() + 1);
  return d.getTime();
}
