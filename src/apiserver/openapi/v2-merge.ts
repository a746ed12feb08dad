/**
 * The /openapi/v2 document with run-time additions (CRD definitions and paths) merged into the
 * built-in one, as the apiextensions openapi controller merges each CRD's BuildOpenAPIV2 output
 * into the aggregated swagger (pkg/controller/openapi/v2 MergeSpecs). Built lazily on the first
 * request after a change and cached: the JSON form parses the built-in document and adds the
 * entries (definitions and paths kept sorted, as Go's map encoding sorts them); the protobuf form
 * reuses the pre-encoded built-in bytes and appends each addition's own encoding, cached per
 * additions object (protobuf merges the repeated entries of an embedded message seen twice).
 * The hash (ETag) is SHA-512 over the built-in hash and the additions, so it changes whenever a
 * CRD does, without serializing the whole document first.
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip as gzipCb, constants } from 'node:zlib';
import type { OpenApiDocument } from './document-store.js';
import { encodeSwaggerAdditions } from './v2-protobuf.js';

const gzip = promisify(gzipCb);

type Obj = Record<string, unknown>;

/** What one CRD adds to /openapi/v2. */
export interface SwaggerAdditions { definitions: Record<string, Obj>; paths: Record<string, Obj> }

/** Timing of the last merge/encode (ms), for measurements. */
export const v2MergeTimings: { json?: number; protobuf?: number } = {};

function sortedMerge(base: Record<string, unknown>, adds: Record<string, unknown>[]): Record<string, unknown> {
  const all: Record<string, unknown> = { ...base };
  for (const a of adds) Object.assign(all, a);
  return Object.fromEntries(Object.keys(all).sort().map((k) => [k, all[k]]));
}

/** Each additions object is encoded once (a CRD's encoding is reused until that CRD changes). */
const encodings = new WeakMap<SwaggerAdditions, Buffer>();
function encodedAdditions(a: SwaggerAdditions): Buffer {
  let buf = encodings.get(a);
  if (!buf) encodings.set(a, (buf = encodeSwaggerAdditions(a.paths, a.definitions)));
  return buf;
}

/** A lazily built merged form (JSON or protobuf). */
class MergedDocument implements OpenApiDocument {
  private body: Promise<Buffer> | undefined;
  private gz: Promise<Buffer> | undefined;
  private size = 0;

  constructor(readonly key: string, readonly hash: string, readonly lastModified: number, private readonly build: () => Promise<Buffer>) {}

  get bytes(): number { return this.size; }

  raw(): Promise<Buffer> {
    this.body ??= this.build().then((b) => { this.size = b.length; return b; }, (err: unknown) => { this.body = undefined; throw err; });
    return this.body;
  }

  gzipped(): Promise<Buffer> {
    this.gz ??= this.raw().then((b) => gzip(b, { level: constants.Z_BEST_SPEED }));
    return this.gz;
  }
}

/** The merged JSON and protobuf documents for one set of additions. */
export class MergedV2 {
  readonly json: OpenApiDocument;
  readonly protobuf: OpenApiDocument | undefined;

  constructor(opts: { base: OpenApiDocument; baseProtobuf: OpenApiDocument | undefined; additions: ReadonlyMap<string, SwaggerAdditions>; lastModified: number }) {
    const keys = [...opts.additions.keys()].sort();
    const adds = keys.map((k) => opts.additions.get(k)!);
    const h = createHash('sha512').update(opts.base.hash);
    for (const k of keys) h.update(`\n${k}\n`).update(JSON.stringify(opts.additions.get(k)));
    const hash = h.digest('hex').toUpperCase();
    this.json = new MergedDocument('v2', hash, opts.lastModified, async () => {
      const raw = await opts.base.raw();
      const t0 = performance.now();
      const doc = JSON.parse(raw.toString('utf8')) as { paths?: Obj; definitions?: Obj };
      doc.paths = sortedMerge(doc.paths ?? {}, adds.map((a) => a.paths));
      doc.definitions = sortedMerge(doc.definitions ?? {}, adds.map((a) => a.definitions));
      const out = Buffer.from(JSON.stringify(doc), 'utf8');
      v2MergeTimings.json = performance.now() - t0;
      return out;
    });
    const basePb = opts.baseProtobuf;
    this.protobuf = basePb && new MergedDocument('v2', hash, opts.lastModified, async () => {
      const base = await basePb.raw();
      const t0 = performance.now();
      const out = Buffer.concat([base, ...adds.map(encodedAdditions)]);
      v2MergeTimings.protobuf = performance.now() - t0;
      return out;
    });
  }
}
