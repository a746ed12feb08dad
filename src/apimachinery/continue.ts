/**
 * List continue tokens, as k8s.io/apiserver/pkg/storage/continue.go and the etcd3 store
 * (pkg/storage/etcd3/store.go GetList, errors.go): a token is unpadded URL-safe base64 of
 * `{"v":"meta.k8s.io/v1","rv":<revision>,"start":"<key minus prefix>\u0000"}`, where `start` is the
 * last returned key plus a NUL byte (the smallest key after it). `rv` -1 means "continue at the
 * latest revision" (the token upstream returns alongside a 410 for a compacted revision).
 */
import { badRequest, StatusError, type Status } from './errors.js';

export const CONTINUE_TOKEN_VERSION = 'meta.k8s.io/v1';

/** 400 message prefix upstream adds in GetList (`invalid continue token: <err>`). */
const INVALID = 'invalid continue token: ';
export const ERR_INVALID_START_RV = 'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)';
export const ERR_EMPTY_START_KEY = 'continue key is not valid: encoded start key empty (version meta.k8s.io/v1)';
export const ERR_GENERIC_INVALID_KEY = 'continue key is not valid';
export const ERR_UNRECOGNIZED_ENCODED_VERSION = 'continue key is not valid: server does not recognize this encoded version';

/** 410 texts from etcd3/errors.go. */
export const LIST_EXPIRED_MESSAGE = 'The resourceVersion for the provided list is too old.';
export const CONTINUE_EXPIRED_MESSAGE = 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.';
export const INCONSISTENT_CONTINUE_MESSAGE =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';
/** 400 from etcd3 resolveGetListRev when both continue and a resourceVersion other than "0" are sent. */
export const CONTINUE_WITH_RV_MESSAGE = 'specifying resource version is not allowed when using continue';

/** Go's encoding/json string escaping (HTML-safe: <, >, & and U+2028/2029 become \u escapes). */
function goJSONString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The raw token for an inclusive start key (upstream EncodeContinue). Throws if key lacks the prefix. */
export function encodeContinueFrom(fromKey: string, keyPrefix: string, rv: number): string {
  const start = fromKey.startsWith(keyPrefix) ? fromKey.slice(keyPrefix.length) : fromKey;
  if (start === fromKey) throw new Error('unable to encode next field: the key and key prefix do not match');
  const json = `{"v":"${CONTINUE_TOKEN_VERSION}","rv":${Math.trunc(rv)},"start":${goJSONString(start)}}`;
  return Buffer.from(json, 'utf8').toString('base64url');
}

/**
 * The token for the page after `lastKey` (the last key returned), as PrepareContinueToken:
 * start = lastKey + "\0", relative to `keyPrefix`.
 */
export function encodeContinue(lastKey: string, keyPrefix: string, rv: number): string {
  return encodeContinueFrom(`${lastKey}\0`, keyPrefix, rv);
}

export interface DecodedContinue {
  /** Inclusive start key, prefix included (upstream's `fromKey`). */
  fromKey: string;
  /**
   * Exclusive lower bound for stores that resume "after" a key: fromKey without its trailing NUL.
   * (For a hand-made token without the NUL this resumes just after fromKey instead of at it.)
   */
  startAfter: string;
  /** Revision to read at; 0 = latest (the token's rv was -1). */
  revision: number;
  /** The rv as encoded (-1 for "latest"). */
  rawRV: number;
}

const B64URL = /^[A-Za-z0-9_-]*$/;

function goBase64Error(token: string): string | undefined {
  for (let i = 0; i < token.length; i++) if (!B64URL.test(token[i]!)) return `illegal base64 data at input byte ${i}`;
  if (token.length % 4 === 1) return `illegal base64 data at input byte ${token.length - 1}`;
  return undefined;
}

function goJSONError(text: string): string {
  const t = text.trimStart();
  if (t === '') return 'unexpected end of JSON input';
  if (!/^[{["\-0-9tfn]/.test(t)) return `invalid character ${JSON.stringify(t[0]).replace(/^"|"$/g, "'")} looking for beginning of value`;
  return 'unexpected end of JSON input';
}

function invalid(detail: string): StatusError {
  return badRequest(`${INVALID}${detail}`);
}

/**
 * Upstream DecodeContinue. Throws the 400 kube-apiserver returns
 * (`invalid continue token: continue key is not valid: …`).
 */
export function decodeContinue(token: string, keyPrefix: string): DecodedContinue {
  const b64err = goBase64Error(token);
  if (b64err) throw invalid(`${ERR_GENERIC_INVALID_KEY}: ${b64err}`);
  const text = Buffer.from(token, 'base64url').toString('utf8');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw invalid(`${ERR_GENERIC_INVALID_KEY}: ${goJSONError(text)}`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    const what = Array.isArray(raw) ? 'array' : raw === null ? '' : typeof raw === 'string' ? 'string' : typeof raw === 'number' ? 'number' : 'bool';
    if (raw !== null) throw invalid(`${ERR_GENERIC_INVALID_KEY}: json: cannot unmarshal ${what} into Go value of type storage.continueToken`);
  }
  // Go matches struct fields case-insensitively and ignores unknown ones.
  const obj = (raw ?? {}) as Record<string, unknown>;
  const get = (name: string): unknown => {
    if (name in obj) return obj[name];
    const k = Object.keys(obj).find((x) => x.toLowerCase() === name);
    return k === undefined ? undefined : obj[k];
  };
  const v = get('v');
  const rv = get('rv');
  const start = get('start');
  const typeErr = (fieldName: string, goType: string, val: unknown): StatusError => {
    const what = typeof val === 'number' ? (goType === 'int64' ? `number ${String(val)}` : 'number') : typeof val === 'boolean' ? 'bool' : Array.isArray(val) ? 'array' : typeof val === 'object' ? 'object' : 'string';
    return invalid(`${ERR_GENERIC_INVALID_KEY}: json: cannot unmarshal ${what} into Go struct field continueToken.${fieldName} of type ${goType}`);
  };
  if (v != null && typeof v !== 'string') throw typeErr('v', 'string', v);
  if (rv != null && (typeof rv !== 'number' || !Number.isInteger(rv))) throw typeErr('rv', 'int64', rv);
  if (start != null && typeof start !== 'string') throw typeErr('start', 'string', start);
  const version = (v as string | null | undefined) ?? '';
  if (version !== CONTINUE_TOKEN_VERSION) throw invalid(`${ERR_UNRECOGNIZED_ENCODED_VERSION} ${version}`);
  const rvn = (rv as number | null | undefined) ?? 0;
  if (rvn === 0) throw invalid(ERR_INVALID_START_RV);
  const startKey = (start as string | null | undefined) ?? '';
  if (startKey === '') throw invalid(ERR_EMPTY_START_KEY);
  // Refuse keys that path.Clean would change (no "..", "//", "./" tricks to escape the prefix).
  const key = startKey.startsWith('/') ? startKey : `/${startKey}`;
  if (cleanPath(key) !== key) throw invalid(`${ERR_GENERIC_INVALID_KEY}: ${startKey}`);
  const fromKey = keyPrefix + key.slice(1);
  return {
    fromKey,
    startAfter: fromKey.endsWith('\0') ? fromKey.slice(0, -1) : fromKey,
    revision: rvn > 0 ? rvn : 0,
    rawRV: rvn,
  };
}

/** Go's path.Clean for a rooted path. */
function cleanPath(p: string): string {
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') { out.pop(); continue; }
    out.push(seg);
  }
  return `/${out.join('/')}`;
}

/**
 * The 410 Expired for a paged list whose revision was compacted, carrying a fresh continue token
 * (rv -1: continue at the latest revision) in the Status's metadata.continue, as upstream
 * handleCompactedErrorForPaging. `fromKey` is the decoded inclusive start key.
 */
export class ContinueExpiredError extends StatusError {
  readonly continueToken: string | undefined;
  constructor(fromKey: string, keyPrefix: string) {
    let token: string | undefined;
    try { token = encodeContinueFrom(fromKey, keyPrefix, -1); } catch { token = undefined; }
    super(410, 'Expired', token ? INCONSISTENT_CONTINUE_MESSAGE : CONTINUE_EXPIRED_MESSAGE);
    this.continueToken = token;
  }
  override toStatus(): Status {
    const s = super.toStatus();
    if (!this.continueToken) return s;
    // Status.metadata is typed as always-empty in errors.ts; upstream fills ListMeta.continue here.
    return { ...s, metadata: { continue: this.continueToken } as unknown as Record<string, never> };
  }
}
