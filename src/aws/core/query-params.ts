/**
 * `QueryParams` for the query and ec2 protocols, over the flat `Name.Sub.N=value` parameters of a
 * form body (`application/x-www-form-urlencoded`) or a GET query string.
 *
 * List conventions, as botocore's serializers write them (botocore/serialize.py):
 * - query (IAM, STS, ELBv2, Auto Scaling): lists `Name.member.N`, maps `Name.entry.N.key|value`,
 *   structures `Name.Field`; an empty list is sent as `Name=` (QuerySerializer) → [].
 * - ec2: lists `Name.N` (the ec2 `queryName`, e.g. `Filter.1.Value.1`), structures `Name.Field`.
 * Indices are 1-based; elements are returned in index order whatever the order on the wire.
 *
 * Validation errors use the protocol's vocabulary: query → `ValidationError` (the AWS
 * "1 validation error detected" wording), ec2 → `MissingParameter` / `InvalidParameterValue`.
 */
import { AwsError, type QueryParams } from './types.js';

export type QueryConvention = 'query' | 'ec2';

/** Flat parameters, first value wins for a repeated name. */
export function paramsFromSearch(search: URLSearchParams): Map<string, string> {
  const m = new Map<string, string>();
  for (const [k, v] of search) if (!m.has(k)) m.set(k, v);
  return m;
}

/** Parses a form body or a query string (without '?') into flat parameters. */
export function parseFormParams(text: string): Map<string, string> {
  return paramsFromSearch(new URLSearchParams(text));
}

function lowerFirst(s: string): string {
  return s ? s[0].toLowerCase() + s.slice(1) : s;
}

export class FormQueryParams implements QueryParams {
  private readonly all: ReadonlyMap<string, string>;
  private readonly convention: QueryConvention;
  private readonly prefix: string;

  /** `prefix` is the path of a nested view (e.g. `Filter.1.`); '' for the top level. */
  constructor(opts: { params: ReadonlyMap<string, string>; convention: QueryConvention; prefix?: string }) {
    this.all = opts.params;
    this.convention = opts.convention;
    this.prefix = opts.prefix ?? '';
  }

  private child(prefix: string): FormQueryParams {
    return new FormQueryParams({ params: this.all, convention: this.convention, prefix });
  }

  private full(name: string): string {
    return this.prefix + name;
  }

  get(name: string): string | undefined {
    return this.all.get(this.full(name));
  }

  required(name: string): string {
    const v = this.get(name);
    if (v === undefined || v === '') {
      const full = this.full(name);
      if (this.convention === 'ec2') throw new AwsError('MissingParameter', `The request must contain the parameter ${full}`, 400);
      throw new AwsError('ValidationError', `1 validation error detected: Value null at '${lowerFirst(full)}' failed to satisfy constraint: Member must not be null`, 400);
    }
    return v;
  }

  private invalid(name: string, value: string, what: string): AwsError {
    const full = this.full(name);
    if (this.convention === 'ec2') return new AwsError('InvalidParameterValue', `Invalid value '${value}' for ${full}. It must be ${what}.`, 400);
    return new AwsError('ValidationError', `1 validation error detected: Value '${value}' at '${lowerFirst(full)}' failed to satisfy constraint: Member must be ${what}`, 400);
  }

  int(name: string): number | undefined {
    const v = this.get(name);
    if (v === undefined || v === '') return undefined;
    const t = v.trim();
    if (!/^[-+]?\d+$/.test(t) || !Number.isSafeInteger(Number(t))) throw this.invalid(name, v, 'an integer');
    return Number(t);
  }

  bool(name: string): boolean | undefined {
    const v = this.get(name);
    if (v === undefined || v === '') return undefined;
    const l = v.toLowerCase();
    if (l === 'true') return true;
    if (l === 'false') return false;
    throw this.invalid(name, v, 'a boolean (true or false)');
  }

  /** Element prefix of list `name`: `Name.member.` (query) or `Name.` (ec2). */
  private listBase(name: string): string {
    return this.convention === 'query' ? `${this.full(name)}.member.` : `${this.full(name)}.`;
  }

  /** The 1-based indices present under `base` (`base` + N [+ '.' …]), ascending. */
  private indices(base: string): number[] {
    const seen = new Set<number>();
    for (const k of this.all.keys()) {
      if (!k.startsWith(base)) continue;
      const m = /^(\d+)(?:\.|$)/.exec(k.slice(base.length));
      if (m) seen.add(Number(m[1]));
    }
    return [...seen].sort((a, b) => a - b);
  }

  list(name: string): string[] {
    const base = this.listBase(name);
    const out: string[] = [];
    for (const i of this.indices(base)) {
      const v = this.all.get(`${base}${i}`);
      if (v !== undefined) out.push(v);
    }
    return out;
  }

  structs(name: string): QueryParams[] {
    const base = this.listBase(name);
    return this.indices(base).map((i) => this.child(`${base}${i}.`));
  }

  struct(name: string): QueryParams | undefined {
    const p = `${this.full(name)}.`;
    for (const k of this.all.keys()) if (k.startsWith(p)) return this.child(p);
    return undefined;
  }

  map(name: string): Record<string, string> {
    const base = this.convention === 'query' ? `${this.full(name)}.entry.` : `${this.full(name)}.`;
    const out: Record<string, string> = {};
    for (const i of this.indices(base)) {
      const key = this.all.get(`${base}${i}.key`) ?? this.all.get(`${base}${i}.Key`);
      if (key === undefined) continue;
      out[key] = this.all.get(`${base}${i}.value`) ?? this.all.get(`${base}${i}.Value`) ?? '';
    }
    return out;
  }

  names(): string[] {
    const out: string[] = [];
    for (const k of this.all.keys()) if (k.startsWith(this.prefix)) out.push(k.slice(this.prefix.length));
    return out;
  }
}

/** A top-level QueryParams view over a form body / query string. */
export function queryParams(text: string | ReadonlyMap<string, string>, convention: QueryConvention): QueryParams {
  const params = typeof text === 'string' ? parseFormParams(text) : text;
  return new FormQueryParams({ params, convention });
}
