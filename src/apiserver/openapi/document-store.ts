/**
 * The OpenAPI documents a cluster serves, with their hashes: the built-in ones generated from the
 * Kubernetes 1.32 spec (src/api/generated/openapi-index.ts + generated/openapi/*.json.gz, loaded
 * lazily on first use and kept compressed), and group-versions added at run time (CRDs).
 * /openapi/v2 is the built-in swagger plus per-CRD additions (setV2Additions), merged lazily
 * by v2-merge.ts.
 * Mirrors the state of k8s.io/kube-openapi/pkg/handler3 OpenAPIService (v3Schema map: key →
 * bytes + etag + lastModified) without any HTTP: OpenApiService does the serving.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzip as gzipCb, gunzip as gunzipCb, constants } from 'node:zlib';
import { OPENAPI_V2_DOCUMENT, OPENAPI_V3_DOCUMENTS, type OpenApiDocumentEntry } from '../../api/generated/openapi-index.js';
import { realClock, type Clock } from '../../util/clock.js';
import { MergedV2, type SwaggerAdditions } from './v2-merge.js';

const gzip = promisify(gzipCb);
const gunzip = promisify(gunzipCb);

/** Uppercase hex SHA-512 of the bytes, as kube-openapi handler3 computeETag ("%X" of sha512.Sum512). */
export function computeOpenApiHash(bytes: Buffer): string {
  return createHash('sha512').update(bytes).digest('hex').toUpperCase();
}

/** One servable document. `gzipped()` and `raw()` are the same content; either may be produced on demand. */
export interface OpenApiDocument {
  key: string;
  hash: string;
  /** Time the document was (re)defined; sent as Last-Modified. */
  lastModified: number;
  /** Uncompressed size. */
  bytes: number;
  gzipped(): Promise<Buffer>;
  /** The uncompressed bytes (JSON, or protobuf for the v2 protobuf form). */
  raw(): Promise<Buffer>;
}

export interface OpenApiDocumentStoreOptions {
  /** Directory holding v2.json.gz and v3/; see findOpenApiDataDir(). */
  dataDir: string;
  /**
   * Built-in group-versions to serve ("v1", "apps/v1", …). Default: every group-version of the
   * generated catalog. Listing one the catalog lacks is an error.
   */
  servedGroupVersions?: readonly string[];
  /**
   * Built-in documents that are not group-versions to list in /openapi/v3. Default
   * ["api", "apis", "version"]; also available: "logs", ".well-known/openid-configuration",
   * "openid/v1/jwks". Group documents ("apis/apps") follow the served group-versions.
   */
  extraDocuments?: readonly string[];
  clock?: Clock;
}

export const DEFAULT_EXTRA_DOCUMENTS: readonly string[] = ['api', 'apis', 'version'];

/** Built-in document backed by a gzipped data file, read on first use and kept compressed. */
class StoredDocument implements OpenApiDocument {
  private gz: Promise<Buffer> | undefined;

  constructor(
    private readonly entry: Pick<OpenApiDocumentEntry, 'key' | 'file' | 'hash' | 'bytes'>,
    private readonly dataDir: string,
    readonly lastModified: number,
  ) {}

  get key(): string { return this.entry.key; }
  get hash(): string { return this.entry.hash; }
  get bytes(): number { return this.entry.bytes; }

  gzipped(): Promise<Buffer> {
    this.gz ??= readFile(join(this.dataDir, this.entry.file)).catch((err: unknown) => {
      this.gz = undefined; // let a later request retry
      throw err;
    });
    return this.gz;
  }

  async raw(): Promise<Buffer> {
    return gunzip(await this.gzipped());
  }
}

/** Document set at run time from an object (CRD group-versions). */
class InlineDocument implements OpenApiDocument {
  readonly hash: string;
  private gz: Promise<Buffer> | undefined;

  constructor(readonly key: string, private readonly body: Buffer, readonly lastModified: number) {
    this.hash = computeOpenApiHash(body);
  }

  get bytes(): number { return this.body.length; }

  gzipped(): Promise<Buffer> {
    this.gz ??= gzip(this.body, { level: constants.Z_BEST_SPEED });
    return this.gz;
  }

  raw(): Promise<Buffer> {
    return Promise.resolve(this.body);
  }
}

/** "apps/v1" → "apis/apps/v1"; "v1" → "api/v1". */
export function documentKeyOfGroupVersion(gv: string): string {
  return gv.includes('/') ? `apis/${gv}` : `api/${gv}`;
}

export class OpenApiDocumentStore {
  private readonly v3 = new Map<string, OpenApiDocument>();
  private readonly v2: OpenApiDocument;
  private readonly v2Protobuf: OpenApiDocument | undefined;
  private readonly v2Additions = new Map<string, SwaggerAdditions>();
  private v2Merged: MergedV2 | undefined;
  private readonly clock: Clock;
  private lastChange: number;

  constructor(opts: OpenApiDocumentStoreOptions) {
    this.clock = opts.clock ?? realClock;
    const now = this.clock.now();
    this.lastChange = now;
    const builtins = new Map(OPENAPI_V3_DOCUMENTS.map((d) => [d.key, d]));
    const allGvs = OPENAPI_V3_DOCUMENTS.flatMap((d) => (d.groupVersion ? [d.groupVersion] : []));
    const gvs = opts.servedGroupVersions ?? allGvs;
    const keys = new Set<string>();
    for (const gv of gvs) {
      const key = documentKeyOfGroupVersion(gv);
      if (!builtins.get(key)?.groupVersion) throw new Error(`no built-in OpenAPI document for group-version ${gv}`);
      keys.add(key);
      if (gv.includes('/')) keys.add(`apis/${gv.slice(0, gv.indexOf('/'))}`);
    }
    for (const key of opts.extraDocuments ?? DEFAULT_EXTRA_DOCUMENTS) {
      if (!builtins.has(key)) throw new Error(`no built-in OpenAPI document ${key}`);
      keys.add(key);
    }
    for (const key of [...keys].sort()) this.v3.set(key, new StoredDocument(builtins.get(key)!, opts.dataDir, now));
    this.v2 = new StoredDocument(OPENAPI_V2_DOCUMENT, opts.dataDir, now);
    const pb = OPENAPI_V2_DOCUMENT;
    this.v2Protobuf = pb.protobufFile && pb.protobufBytes !== undefined
      ? new StoredDocument({ key: 'v2', file: pb.protobufFile, hash: pb.hash, bytes: pb.protobufBytes }, opts.dataDir, now)
      : undefined;
  }

  /** The /openapi/v3 document for `key` ("api/v1", "apis/apps/v1", …), if served. */
  getV3(key: string): OpenApiDocument | undefined {
    return this.v3.get(key);
  }

  /** The /openapi/v2 document: the built-in one, merged with the additions (CRDs) if any. */
  getV2(): OpenApiDocument {
    return this.mergedV2()?.json ?? this.v2;
  }

  private mergedV2(): MergedV2 | undefined {
    if (!this.v2Additions.size) return undefined;
    this.v2Merged ??= new MergedV2({ base: this.v2, baseProtobuf: this.v2Protobuf, additions: this.v2Additions, lastModified: this.lastChange });
    return this.v2Merged;
  }

  /**
   * Adds or replaces what `key` (e.g. a CRD name) contributes to /openapi/v2: definitions and
   * paths merged into the built-in document on the next request (the merged forms are built
   * lazily and cached until the next change).
   */
  setV2Additions(key: string, additions: SwaggerAdditions): void {
    this.v2Additions.set(key, additions);
    this.v2Merged = undefined;
    this.lastChange = this.clock.now();
  }

  /** Removes what `key` contributed to /openapi/v2. */
  removeV2Additions(key: string): void {
    if (!this.v2Additions.delete(key)) return;
    this.v2Merged = undefined;
    this.lastChange = this.clock.now();
  }

  /**
   * The /openapi/v2 document as a gnostic openapi.v2.Document protobuf message, if generated.
   * Its hash is the JSON's (kube-openapi keeps one etag for both encodings).
   */
  getV2Protobuf(): OpenApiDocument | undefined {
    const merged = this.mergedV2();
    return merged ? merged.protobuf : this.v2Protobuf;
  }

  /** Served v3 keys with their hashes, sorted by key. */
  listV3(): { key: string; hash: string }[] {
    return [...this.v3.values()].map((d) => ({ key: d.key, hash: d.hash })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** Time of the last add/replace/remove (or construction). */
  lastModified(): number {
    return this.lastChange;
  }

  /**
   * Adds or replaces the document of a group-version path ("apis/example.com/v1"), e.g. for a
   * CRD. The hash is computed from JSON.stringify(doc). Takes effect for the next request.
   * (handler3 OpenAPIService.UpdateGroupVersion)
   */
  setGroupVersion(gvPath: string, doc: object): void {
    if (!/^apis\/[^/]+\/[^/]+$/.test(gvPath) && !/^api\/[^/]+$/.test(gvPath)) throw new Error(`not a group-version path: ${gvPath}`);
    const now = this.clock.now();
    this.v3.set(gvPath, new InlineDocument(gvPath, Buffer.from(JSON.stringify(doc), 'utf8'), now));
    this.lastChange = now;
  }

  /** Stops serving a group-version path. (handler3 OpenAPIService.DeleteGroupVersion) */
  removeGroupVersion(gvPath: string): void {
    if (this.v3.delete(gvPath)) this.lastChange = this.clock.now();
  }
}
